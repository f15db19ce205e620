using Ose.Objectives;

namespace Ose.Runs;

/// <summary>An error objective and whether evaluating it costs more for larger candidates (training does).</summary>
public sealed record ErrorProvider(IObjective Objective, bool CostGrowsWithSize);

/// <summary>What an error provider may need to know to build itself.</summary>
/// <param name="Kind">Which trained error: <see cref="SearchRun.TrainedErrorToken"/> or <see cref="SearchRun.DistilledErrorToken"/>.</param>
public sealed record ErrorContext(Source Source, IReadOnlyList<Architecture> Candidates, string RunDirectory, double Epsilon, long Seed,
    string Kind = SearchRun.TrainedErrorToken);

/// <summary>Builds the errors that train (bounded training, distillation), which live above this library (they need TorchSharp).</summary>
public delegate ErrorProvider TrainedErrorFactory(ErrorContext context);
