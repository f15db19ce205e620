using Ose.Models.Sources;

namespace Ose.Studies;

/// <summary>A model the study tabulates and times: a name as the config gives it, its ξ and what it inherits.</summary>
internal sealed record StudyModel(string Name, Architecture Architecture, FixedShape Shape);

internal static class StudyModels
{
    /// <summary>The search's choice appears in tables under this name.</summary>
    public const string ChosenName = "chosen";

    /// <summary>The config's sources (the study's source when none are listed).</summary>
    public static IReadOnlyList<StudyModel> Sources(StudyContext context) =>
        (context.Config.Architectures?.Sources is { Count: > 0 } names ? names : [context.Config.Source])
        .Select(name => FromSource(context, name))
        .ToArray();

    /// <summary>
    /// The config's students (a preset or config.json keeps its own shape; D,A,H,I takes the first source's), then the
    /// search's choice on the study source's shape.
    /// </summary>
    public static IReadOnlyList<StudyModel> Students(StudyContext context)
    {
        var firstSource = Sources(context)[0];
        var students = (context.Config.Architectures?.Students ?? [])
            .Select(name => name.Contains(',')
                ? new StudyModel(name, Architecture.Parse(name, "architectures.students"), firstSource.Shape)
                : FromSource(context, name))
            .ToList();
        if (context.Chosen is { } ξ) students.Add(new StudyModel(ChosenName, ξ, context.Source.Shape));
        return students;
    }

    /// <summary>A preset or source with weights keeps its name; a config.json file is named as <c>ose search</c> names it (its file or folder).</summary>
    private static StudyModel FromSource(StudyContext context, string nameOrPath)
    {
        var s = WeightedSource.ResolveAny(nameOrPath, context.Data);
        return new StudyModel(s.Name, s.Architecture, s.Shape);
    }
}
