using Ose.Objectives;
using Ose.Search;

namespace Ose.Runs;

/// <summary>
/// An error objective and what evaluating it costs: nothing (a table, a proxy: the search then evaluates every candidate),
/// or more for larger candidates (training). <see cref="Repeat"/> gives the same error with the r-th other seed, for an
/// error whose evaluations are noisy; the search measures its noise with it.
/// </summary>
public sealed record ErrorProvider(IObjective Objective, bool CostGrowsWithSize, bool Free = false, Func<int, IObjective>? Repeat = null);

/// <summary>What an error provider may need to know to build itself; <see cref="Steps"/> hears the steps of each evaluation.</summary>
/// <param name="Kind">Which trained error: <see cref="SearchRun.TrainedErrorToken"/> or <see cref="SearchRun.DistilledErrorToken"/>.</param>
public sealed record ErrorContext(Source Source, IReadOnlyList<Architecture> Candidates, string RunDirectory, double Epsilon, long Seed,
    EvaluationSteps Steps, string Kind = SearchRun.TrainedErrorToken);

/// <summary>Builds the errors that train (bounded training, distillation), which live above this library (they need TorchSharp).</summary>
public delegate ErrorProvider TrainedErrorFactory(ErrorContext context);
