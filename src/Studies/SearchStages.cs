using Ose.Plots;
using System.Globalization;
using Ose.Costs;
using Ose.Runs;
using Ose.Search;
using Ose.Training;

namespace Ose.Studies;

/// <summary>The analytic stages: the OSE search, and the sizes and operation counts of the study's architectures.</summary>
internal static class SearchStages
{
    public static StageRecord Search(StudyContext context)
    {
        var section = context.Config.Search!;
        var request = new SearchRequest(context.Config.Source, section.Epsilon, context.Folder(StudyRun.SearchStage), section.Space,
            section.Errors, section.Searcher, section.SequenceLength, null, section.MaxEvaluations, context.Config.Seed);
        var outcome = SearchRun.Execute(request, SearchErrors.Factory(context.Data.Root, context.DeviceName),
            context.Throttled<SearchProgress>(p => $"search: {p.Phase.ToString().ToLowerInvariant()}, {p.Evaluations} evaluated"
                + (p.InFlight is { } ξ ? $", {ξ.ToShortString()}" : "") + (p.Step is { } step ? $" step {step.Step}/{step.Steps}" : "")),
            context.Cancellation, SearchErrors.Sources(context.Data.Root));
        var r = outcome.Result;
        if (r.StopReason == StopReason.Interrupted) throw new OperationCanceledException(context.Cancellation);
        ParetoPlot.Write(outcome);

        var record = new StageRecord();
        record.Figure("space.candidates", r.Candidates.Count);
        record.Figure("search.evaluated", r.Evaluations);
        record.Figure("search.certified_after", r.EvaluationsToCertify ?? double.NaN);
        record.Figure("search.chosen", r.Best.Architecture.ToShortString());
        record.Figure("search.w", r.Best.W!.Value);
        record.Figure("search.error", r.Best.Error!.Value);
        record.Figure("search.front", outcome.Front.Count);
        record.Figure("search.certificate", r.Certificate.Gap is { } gap ? gap : double.NaN);
        record.Figure("search.certificate_kind", r.Certificate.Kind.ToString());
        record.Figure("search.monotonicity_violations", r.MonotonicityViolations.Count);
        record.Figure("search.stop", r.StopReason.ToString());
        return record;
    }

    /// <summary>Parameter counts (net and effective, as shares of each source) and operation-count speed-ups.</summary>
    public static StageRecord Architectures(StudyContext context)
    {
        int sequenceLength = context.Config.Latency?.SequenceLength ?? context.Config.Search?.SequenceLength ?? 128;
        var record = new StageRecord();
        var sources = StudyModels.Sources(context);
        var students = StudyModels.Students(context);
        foreach (var model in sources.Concat(students))
        {
            var count = ParameterCount.Of(model.Architecture, model.Shape);
            record.Figure($"params.{model.Name}.arch", model.Architecture.ToShortString());
            record.Figure($"params.{model.Name}.vocabulary", model.Shape.V);
            record.Figure($"params.{model.Name}.net", count.Total);
            record.Figure($"params.{model.Name}.effective", count.Effective);
        }
        foreach (var source in sources)
        {
            var sourceCount = ParameterCount.Of(source.Architecture, source.Shape);
            double sourceOps = OperationCount.Of(source.Architecture, source.Shape, sequenceLength).Total;
            foreach (var student in students)
            {
                var count = ParameterCount.Of(student.Architecture, student.Shape);
                string pair = $"{source.Name}/{student.Name}";
                record.Figure($"share.{pair}.net", (double)count.Total / sourceCount.Total);
                record.Figure($"share.{pair}.effective", (double)count.Effective / sourceCount.Effective);
                record.Figure($"ops.{pair}.speedup", sourceOps / OperationCount.Of(student.Architecture, student.Shape, sequenceLength).Total);
            }
        }
        record.Figure("ops.sequence_length", sequenceLength.ToString(CultureInfo.InvariantCulture));
        return record;
    }
}
