using Ose.Models.Text;
using Ose.Models;
using Ose.Tasks.Data;
using Ose.Training.FineTuning;

namespace Ose.Agora.Text;

/// <summary>
/// The pieces of Agora on a text task: students fine-tuned from one pretrained encoder, a fine-tuned model from disk as
/// labeller, and a masked LM as the sampler of new utterances (the student's own, or a stronger one's, such as the
/// source's). Owns the models. <see cref="TextAgoraSetup"/> builds it for classification, <see cref="SlotAgoraSetup"/>
/// for slot tagging.
/// </summary>
public sealed class AgoraSetup<TTask, TLabel>(PretrainedModel student, PretrainedModel? samplerModel, IDisposable labellerModel, TTask task,
    IStudentTrainer<TextInput, TLabel> students, ILabeller<TextInput, TLabel> labeller, MaskedLmSampler sampler, AgoraOptions options) : IDisposable
{
    public TTask Task => task;
    public IStudentTrainer<TextInput, TLabel> Students => students;
    public ILabeller<TextInput, TLabel> Labeller => labeller;
    public MaskedLmSampler Sampler => sampler;
    public AgoraOptions Options => options;

    public void Dispose()
    {
        labellerModel.Dispose();
        samplerModel?.Dispose();
        student.Dispose();
    }

    /// <summary>
    /// Checks the student against the data's vocabulary and finds the sampler's masked LM, then lets
    /// <paramref name="build"/> load the labeller and make the rest; the models are disposed at once if any step fails.
    /// </summary>
    internal static AgoraSetup<TTask, TLabel> Build(DataDirectory data, PretrainedModel student, PretrainedModel? samplerModel,
        Func<WordPieceTokenizer, BertForMaskedLM, AgoraSetup<TTask, TLabel>> build)
    {
        try
        {
            var tokenizer = WordPieceTokenizer.Load(data.Vocabulary);
            var config = student.Encoder.Config;
            if (config.V != tokenizer.VocabularySize)
                throw new UserInputException($"the student has a vocabulary of {config.V} tokens, {data.Vocabulary} has {tokenizer.VocabularySize}");
            return build(tokenizer, (samplerModel ?? student).RequireMaskedLm());
        }
        catch
        {
            student.Dispose();
            samplerModel?.Dispose();
            throw;
        }
    }
}
