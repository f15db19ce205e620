namespace Ose.Models.Text;

/// <summary>The ids a masked-LM corpus needs from its vocabulary.</summary>
public sealed record SpecialTokens(int Pad, int Cls, int Sep, int Mask, int VocabularySize);
