using Ose.Models.Checkpoints;
using Ose.Tasks.Data;
using Ose.Tasks;
using Ose.Training.FineTuning;
using static TorchSharp.torch;

namespace Ose.Agora.Text;

/// <summary>
/// Agora on a slot task: taggers as students, a tagger folder as labeller, and a masked LM that redraws only the words
/// outside the tagged spans (<see cref="SlotWordView"/>).
/// </summary>
public static class SlotAgoraSetup
{
    /// <param name="student">The pretrained student; disposed with the setup, or at once if the setup fails.</param>
    /// <param name="samplerModel">The model whose masked LM draws new words; null for the student's own. Disposed like the student.</param>
    /// <param name="labellerFolder">A tagger folder whose tags are the task's.</param>
    /// <param name="fraction">The share of the words outside the spans the masked LM resamples.</param>
    public static AgoraSetup<SlotTask, SlotAnnotation> Create(DataDirectory data, SlotTask task, AgoraOptions options, PretrainedModel student,
        PretrainedModel? samplerModel, string labellerFolder, double fraction, Device device) =>
        AgoraSetup<SlotTask, SlotAnnotation>.Build(data, student, samplerModel, (tokenizer, maskedLm) =>
        {
            var labellerModel = TaggerFolder.Load(labellerFolder, data.Vocabulary, device);
            if (!labellerModel.Tags.Names.SequenceEqual(task.Tags.Names))
            {
                labellerModel.Dispose();
                throw new UserInputException($"the labeller's tags ({string.Join(", ", labellerModel.Tags.Names)}) are not the task's ({string.Join(", ", task.Tags.Names)})");
            }
            var trainer = new SlotTaggerTrainer(tokenizer, device);
            int maxLength = options.Θ.Max(θ => θ.MaxLength);
            var students = new SlotStudentTrainer(trainer, student.Encoder.Config, student.Encoder.state_dict(), task.Tags, task.SlotNumbers) { MaxLength = maxLength };
            var sampler = new MaskedLmSampler(maskedLm, tokenizer, data.Vocabulary, fraction, device, text => SlotWordView.Of(text, task.SlotNumbers), maxLength);
            return new AgoraSetup<SlotTask, SlotAnnotation>(student, samplerModel, labellerModel, task, students,
                new TaggerLabeller(labellerModel, trainer, task.SlotNumbers, maxLength), sampler, options);
        });
}
