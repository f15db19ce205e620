using Ose.Models.Checkpoints;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>Agora on a text classification task: classifiers as students, a classifier folder as labeller.</summary>
public static class TextAgoraSetup
{
    /// <param name="student">The pretrained student; disposed with the setup, or at once if the setup fails.</param>
    /// <param name="samplerModel">The model whose masked LM draws new words; null for the student's own. Disposed like the student.</param>
    /// <param name="labellerFolder">A classifier folder whose labels are the task's.</param>
    /// <param name="fraction">The share of words the masked LM resamples.</param>
    public static AgoraSetup<TextTask, int> Create(DataDirectory data, TextTask task, AgoraOptions options, PretrainedModel student,
        PretrainedModel? samplerModel, string labellerFolder, double fraction, Device device) =>
        AgoraSetup<TextTask, int>.Build(data, student, samplerModel, (tokenizer, maskedLm) =>
        {
            var labellerModel = ClassifierFolder.Load(labellerFolder, data.Vocabulary, device);
            if (!labellerModel.Labels.SequenceEqual(task.Labels))
            {
                labellerModel.Dispose();
                throw new UserInputException($"the labeller's labels ({string.Join(", ", labellerModel.Labels)}) are not the task's ({string.Join(", ", task.Labels)})");
            }
            var trainer = new TextClassifierTrainer(tokenizer, device);
            int maxLength = options.Θ.Max(θ => θ.MaxLength);
            var students = new TextStudentTrainer(trainer, student.Encoder.Config, student.Encoder.state_dict(), task.Labels.Count, task.Metric) { MaxLength = maxLength };
            var sampler = new MaskedLmSampler(maskedLm, tokenizer, data.Vocabulary, fraction, device, maxLength: maxLength);
            return new AgoraSetup<TextTask, int>(student, samplerModel, labellerModel, task, students,
                new ClassifierLabeller(labellerModel, trainer, maxLength), sampler, options);
        });
}
