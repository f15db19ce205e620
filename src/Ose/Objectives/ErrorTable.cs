using System.Globalization;
using System.Security.Cryptography;
using CsvHelper;

namespace Ose.Objectives;

/// <summary>
/// Errors measured elsewhere, read from a CSV with columns <c>D,A,H,I,error</c>.
/// Every row is checked on load so a bad table fails before the search spends anything.
/// </summary>
public sealed class ErrorTable : IObjective
{
    private readonly Dictionary<Architecture, double> errors;

    private ErrorTable(Dictionary<Architecture, double> errors, string identity)
    {
        this.errors = errors;
        Identity = identity;
    }

    public string Identity { get; }

    public double Evaluate(Architecture ξ, CancellationToken cancellation = default) =>
        errors.TryGetValue(ξ, out double e) ? e : throw new UserInputException($"errors table has no row for {ξ.ToShortString()}");

    /// <summary>Loads the table and checks it has a row for every candidate.</summary>
    public static ErrorTable Load(string path, IEnumerable<Architecture> candidates)
    {
        if (!File.Exists(path)) throw new UserInputException($"errors file not found: {path}");
        byte[] bytes = File.ReadAllBytes(path);
        var errors = new Dictionary<Architecture, double>();
        using (var csv = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true }))
        {
            string[] columns = ["D", "A", "H", "I", "error"];
            try
            {
                csv.ReadHeader();
            }
            catch (Exception e) when (e is not UserInputException)
            {
                throw new UserInputException($"errors file {path}: cannot read a header D,A,H,I,error ({e.Message})");
            }
            foreach (string column in columns)
                if (csv.Headers is null || !csv.Headers.Contains(column))
                    throw new UserInputException($"errors file {path}: missing column '{column}' (expected D,A,H,I,error)");
            while (csv.Read())
            {
                long line = csv.LineNumber;
                int Int(string column) => int.TryParse(csv.GetString(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
                    ? v : throw new UserInputException($"errors file {path}, line {line}: {column} '{csv.GetString(column)}' is not an integer");
                var ξ = new Architecture(Int("D"), Int("A"), Int("H"), Int("I"));
                string raw = csv.GetString("error");
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double e) || !double.IsFinite(e))
                    throw new UserInputException($"errors file {path}, line {line}: error '{raw}' is not a finite number");
                // W divides by e (DESIGN §2.3), so an error must be strictly positive.
                if (e <= 0)
                    throw new UserInputException($"errors file {path}, line {line}: error {raw} must be positive");
                if (!errors.TryAdd(ξ, e))
                    throw new UserInputException($"errors file {path}, line {line}: a second row for {ξ.ToShortString()}");
            }
        }
        var missing = candidates.Where(ξ => !errors.ContainsKey(ξ)).ToArray();
        if (missing.Length > 0)
            throw new UserInputException(
                $"errors file {path} has no row for {missing.Length} candidate(s), first {missing[0].ToShortString()}");
        return new ErrorTable(errors, $"table:{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}");
    }
}
