using Ose.Tasks.Data;
using Ose.Models.Sources;
using Xunit;

namespace Ose.Models.Tests.Sources;

public sealed class PackagedModelsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-packaged-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Manifest_resources_read_as_data_equal_what_the_runtime_loads()
    {
        // Our own assembly embeds configs: reading them from the file must give the bytes .NET gives.
        var assembly = typeof(PackagedModels).Assembly;
        string name = "Ose.Models.configs.source-models.json";
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var expected = new MemoryStream();
        stream.CopyTo(expected);

        var read = PackagedModels.ManifestResources(assembly.Location, name);

        Assert.Equal(expected.ToArray(), read[name]);
    }

    [Fact]
    public void A_resource_the_assembly_lacks_is_a_user_error_naming_it()
    {
        var error = Assert.Throws<UserInputException>(() =>
            PackagedModels.ManifestResources(typeof(PackagedModels).Assembly.Location, "no.such.resource"));
        Assert.Contains("no.such.resource", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_user_error()
    {
        string path = Path.Combine(directory, "fake.dll");
        File.WriteAllText(path, "MZ not really");
        Assert.Throws<UserInputException>(() => PackagedModels.ManifestResources(path, "x"));
    }

    [Fact]
    public void The_pinned_package_was_downloaded_by_the_build()
    {
        var minilm = PackagedModels.Find("minilm")!;
        Assert.True(File.Exists(PackagedModels.AssemblyPath(minilm)), PackagedModels.AssemblyPath(minilm));
    }

    [Fact]
    public void An_unprepared_packaged_source_is_a_one_line_error_saying_how_to_prepare_it()
    {
        var error = Assert.Throws<UserInputException>(() => WeightedSource.Resolve("minilm", new DataDirectory(directory)));
        Assert.Contains("run ./ose data prepare", error.Message);
    }

    [Fact]
    public void Prepare_writes_the_model_and_a_vocabulary_without_carriage_returns_into_the_data_directory()
    {
        // Reads the real package (about 91 MB): the one test that exercises the whole copy.
        var data = new DataDirectory(directory);
        PackagedModels.Prepare(data, _ => { });

        string folder = PackagedModels.Folder(data, "minilm");
        Assert.True(PackagedModels.IsPrepared(data, PackagedModels.Find("minilm")!));
        Assert.DoesNotContain((byte)'\r', File.ReadAllBytes(Path.Combine(folder, PackagedModels.VocabularyFile)));
        Assert.Equal(30522, File.ReadLines(Path.Combine(folder, PackagedModels.VocabularyFile)).Count());
        Assert.Empty(Directory.GetFiles(folder, "*.tmp*"));
    }
}
