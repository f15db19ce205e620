using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>
/// The pieces of Agora on a text classification task: students fine-tuned from one pretrained encoder, a classifier
/// folder as labeller, and a masked LM as the sampler of new sentences (the student's own, or a stronger one's, such as
/// the source's). Owns the models.
/// </summary>
public sealed class TextAgoraSetup : IDisposable
{
    private readonly PretrainedModel student;
    private readonly PretrainedModel? samplerModel;
    private readonly LoadedClassifier labellerModel;

    private TextAgoraSetup(PretrainedModel student, PretrainedModel? samplerModel, LoadedClassifier labellerModel, TextTask task,
        TextStudentTrainer students, ClassifierLabeller labeller, MaskedLmSampler sampler, AgoraOptions options)
    {
        (this.student, this.samplerModel, this.labellerModel) = (student, samplerModel, labellerModel);
        (Task, Students, Labeller, Sampler, Options) = (task, students, labeller, sampler, options);
    }

    public TextTask Task { get; }
    public TextStudentTrainer Students { get; }
    public ClassifierLabeller Labeller { get; }
    public MaskedLmSampler Sampler { get; }
    public AgoraOptions Options { get; }

    /// <param name="student">The pretrained student; disposed with the setup, or at once if the setup fails.</param>
    /// <param name="samplerModel">The model whose masked LM draws new words; null for the student's own. Disposed like the student.</param>
    /// <param name="labellerFolder">A classifier folder whose labels are the task's.</param>
    /// <param name="fraction">The share of words the masked LM resamples.</param>
    public static TextAgoraSetup Create(DataDirectory data, TextTask task, AgoraOptions options, PretrainedModel student,
        PretrainedModel? samplerModel, string labellerFolder, double fraction, Device device)
    {
        try
        {
            var tokenizer = WordPieceTokenizer.Load(data.Vocabulary);
            var config = student.Encoder.Config;
            if (config.V != tokenizer.VocabularySize)
                throw new UserInputException($"the student has a vocabulary of {config.V} tokens, {data.Vocabulary} has {tokenizer.VocabularySize}");
            var maskedLm = (samplerModel ?? student).RequireMaskedLm();
            var labellerModel = ClassifierFolder.Load(labellerFolder, data.Vocabulary, device);
            if (!labellerModel.Labels.SequenceEqual(task.Labels))
            {
                labellerModel.Dispose();
                throw new UserInputException($"the labeller's labels ({string.Join(", ", labellerModel.Labels)}) are not the task's ({string.Join(", ", task.Labels)})");
            }
            var trainer = new TextClassifierTrainer(tokenizer, device);
            int maxLength = options.Θ.Max(θ => θ.MaxLength);
            var students = new TextStudentTrainer(trainer, config, student.Encoder.state_dict(), task.Labels.Count, task.Metric) { MaxLength = maxLength };
            var sampler = new MaskedLmSampler(maskedLm, tokenizer, data.Vocabulary, fraction, device, maxLength: maxLength);
            return new TextAgoraSetup(student, samplerModel, labellerModel, task, students, new ClassifierLabeller(labellerModel, trainer, maxLength), sampler, options);
        }
        catch
        {
            student.Dispose();
            samplerModel?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        labellerModel.Dispose();
        samplerModel?.Dispose();
        student.Dispose();
    }
}
