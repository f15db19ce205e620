using Ose.Models.Checkpoints;
using Ose.Models.Text;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>
/// The pieces of Agora on a slot task, as <see cref="TextAgoraSetup"/> has them for classification: taggers fine-tuned
/// from one pretrained encoder, a tagger folder as labeller, and a masked LM that redraws the words outside the tagged
/// spans (<see cref="SlotWordView"/>). Owns the models.
/// </summary>
public sealed class SlotAgoraSetup : IDisposable
{
    private readonly PretrainedModel student;
    private readonly PretrainedModel? samplerModel;
    private readonly LoadedTagger labellerModel;

    private SlotAgoraSetup(PretrainedModel student, PretrainedModel? samplerModel, LoadedTagger labellerModel, SlotTask task,
        SlotStudentTrainer students, TaggerLabeller labeller, MaskedLmSampler sampler, AgoraOptions options)
    {
        (this.student, this.samplerModel, this.labellerModel) = (student, samplerModel, labellerModel);
        (Task, Students, Labeller, Sampler, Options) = (task, students, labeller, sampler, options);
    }

    public SlotTask Task { get; }
    public SlotStudentTrainer Students { get; }
    public TaggerLabeller Labeller { get; }
    public MaskedLmSampler Sampler { get; }
    public AgoraOptions Options { get; }
    public SlotLabels Labels => new(Task.SlotNumbers);

    /// <summary>The task's examples as Agora's points.</summary>
    public LabelledPoint<TextInput, SlotAnnotation>[] Points(IEnumerable<SlotExample> examples) => SlotPoints.From(examples, Task.SlotNumbers);

    /// <param name="student">The pretrained student; disposed with the setup, or at once if the setup fails.</param>
    /// <param name="samplerModel">The model whose masked LM draws new words; null for the student's own. Disposed like the student.</param>
    /// <param name="labellerFolder">A tagger folder whose tags are the task's.</param>
    /// <param name="fraction">The share of the words outside the spans the masked LM resamples.</param>
    public static SlotAgoraSetup Create(DataDirectory data, SlotTask task, AgoraOptions options, PretrainedModel student,
        PretrainedModel? samplerModel, string labellerFolder, double fraction, Device device)
    {
        try
        {
            var tokenizer = WordPieceTokenizer.Load(data.Vocabulary);
            var config = student.Encoder.Config;
            if (config.V != tokenizer.VocabularySize)
                throw new UserInputException($"the student has a vocabulary of {config.V} tokens, {data.Vocabulary} has {tokenizer.VocabularySize}");
            var maskedLm = (samplerModel ?? student).RequireMaskedLm();
            var labellerModel = TaggerFolder.Load(labellerFolder, data.Vocabulary, device);
            if (!labellerModel.Tags.Names.SequenceEqual(task.Tags.Names))
            {
                labellerModel.Dispose();
                throw new UserInputException($"the labeller's tags ({string.Join(", ", labellerModel.Tags.Names)}) are not the task's ({string.Join(", ", task.Tags.Names)})");
            }
            var trainer = new SlotTaggerTrainer(tokenizer, device);
            int maxLength = options.Θ.Max(θ => θ.MaxLength);
            var students = new SlotStudentTrainer(trainer, config, student.Encoder.state_dict(), task.Tags, task.SlotNumbers) { MaxLength = maxLength };
            var sampler = new MaskedLmSampler(maskedLm, tokenizer, data.Vocabulary, fraction, device, text => SlotWordView.Of(text, task.SlotNumbers), maxLength);
            return new SlotAgoraSetup(student, samplerModel, labellerModel, task, students,
                new TaggerLabeller(labellerModel, trainer, task.SlotNumbers, maxLength), sampler, options);
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
