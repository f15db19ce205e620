using Ose.Objectives;

namespace Ose.Runs;

/// <summary>An error objective and whether evaluating it costs more for larger candidates (training does).</summary>
public sealed record ErrorProvider(IObjective Objective, bool CostGrowsWithSize);

/// <summary>What an error provider may need to know to build itself.</summary>
public sealed record ErrorContext(Source Source, IReadOnlyList<Architecture> Candidates, string RunDirectory, double Epsilon, long Seed);

/// <summary>Builds the training-based error, which lives above this library (it needs TorchSharp).</summary>
public delegate ErrorProvider TrainedErrorFactory(ErrorContext context);
