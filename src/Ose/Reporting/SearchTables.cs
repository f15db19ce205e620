using Ose.IO;
using System.Globalization;
using CsvHelper;
using Ose.Runs;

namespace Ose.Reporting;

/// <summary>
/// <c>candidates.csv</c> (every candidate: costs, error or its bound, W or its bound) and <c>front.csv</c>
/// (the ε-Pareto front), in the same columns so one can be checked against the other.
/// </summary>
public static class SearchTables
{
    private static readonly string[] Header =
    [
        "D", "A", "H", "I", "params", "params_effective", "inference", "error", "W",
        "status", "error_lower_bound", "W_upper_bound", "covered",
    ];

    public static void WriteCandidates(string path, SearchOutcome outcome) =>
        Write(path, outcome, Enumerable.Range(0, outcome.Result.Candidates.Count));

    public static void WriteFront(string path, SearchOutcome outcome) => Write(path, outcome, outcome.Front);

    private static void Write(string path, SearchOutcome outcome, IEnumerable<int> rows) =>
        CrashSafe.WriteFile(path, temporary =>
        {
            using var csv = CsvWriter.ToFile(temporary, new CsvWriterOptions());
            csv.WriteHeader(Header);
            foreach (int k in rows)
            {
                var c = outcome.Result.Candidates[k];
                csv.WriteRecord(
                [
                    Text(c.Architecture.D), Text(c.Architecture.A), Text(c.Architecture.H), Text(c.Architecture.I),
                    Text(c.Parameters), Text(outcome.EffectiveParameters[k]), Text(c.Inference),
                    c.Error is { } e ? Text(e) : "", c.W is { } w ? Text(w) : "",
                    c.Error is null ? "bounded" : "evaluated",
                    Text(c.ErrorLowerBound), Text(c.WUpperBound), c.Covered ? "true" : "false",
                ]);
            }
        });

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Text(long x) => x.ToString(CultureInfo.InvariantCulture);

    private static string Text(int x) => x.ToString(CultureInfo.InvariantCulture);
}
