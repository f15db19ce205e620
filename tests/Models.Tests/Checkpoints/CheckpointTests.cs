using System.Buffers.Binary;
using System.Text;
using Ose.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ose.Models.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ose-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Tensor Logits(BertForMaskedLM model)
    {
        model.eval();
        var ids = tensor(new long[] { 4, 5, 6, 7, 8, 9 }, [1, 6]);
        var mask = ones_like(ids).to(ScalarType.Bool);
        return model.call(ids, zeros_like(ids), ones_like(ids), mask);
    }

    [Fact]
    public void A_student_folder_round_trips_to_identical_outputs_in_hugging_face_layout()
    {
        manual_seed(1);
        var config = Tiny.Config();
        using var model = new BertForMaskedLM(config);
        string folder = Path.Combine(directory, "student");
        StudentFolder.Save(model, config, Tiny.Record, folder);

        using var loaded = StudentFolder.Load(folder, CPU);
        Assert.True(Logits(model).allclose(Logits(loaded), rtol: 0, atol: 0));
        Assert.Equal(config with { Dropout = loaded.Bert.Config.Dropout }, loaded.Bert.Config);
        Assert.True(File.Exists(Path.Combine(folder, "config.json")));
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));
    }

    [Fact]
    public void A_hand_written_safetensors_file_with_hugging_face_names_loads_into_the_model()
    {
        manual_seed(2);
        using var model = new BertForMaskedLM(Tiny.Config());
        string path = Path.Combine(directory, "hf.safetensors");
        SafeTensors.Write(model, path);
        // Rewrite the header as a BertModel-only file would name things: no "bert." prefix, plus HF's extra buffer.
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, length).Replace("\"bert.", "\"");
        byte[] newHeader = Encoding.UTF8.GetBytes(header);
        var rewritten = new byte[8 + newHeader.Length + bytes.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(rewritten, (ulong)newHeader.Length);
        newHeader.CopyTo(rewritten, 8);
        bytes.AsSpan(8 + length).CopyTo(rewritten.AsSpan(8 + newHeader.Length));
        File.WriteAllBytes(path, rewritten);

        manual_seed(3);
        using var other = new BertForMaskedLM(Tiny.Config());
        SafeTensors.Read(other, path);
        Assert.True(Logits(model).allclose(Logits(other), rtol: 0, atol: 0));
    }

    [Fact]
    public void Weights_of_another_architecture_are_a_one_line_user_error()
    {
        using var small = new BertForMaskedLM(Tiny.Config());
        string path = Path.Combine(directory, "small.safetensors");
        SafeTensors.Write(small, path);

        using var wider = new BertForMaskedLM(Tiny.Config() with { H = 64, A = 4 });
        var error = Assert.Throws<UserInputException>(() => SafeTensors.Read(wider, path));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_corrupt_file_is_a_user_error()
    {
        string path = Path.Combine(directory, "corrupt.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        using var model = new BertForMaskedLM(Tiny.Config());
        Assert.Throws<UserInputException>(() => SafeTensors.Read(model, path));
    }

    /// <summary>A valid file of the tiny model whose header entry for one tensor has been edited.</summary>
    private string WithEditedHeader(Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        using var model = new BertForMaskedLM(Tiny.Config());
        string path = Path.Combine(directory, $"{Guid.NewGuid():N}.safetensors");
        SafeTensors.Write(model, path);
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = System.Text.Json.Nodes.JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        edit(header["bert.embeddings.word_embeddings.weight"]!.AsObject());
        byte[] newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        var rewritten = new byte[8 + newHeader.Length + bytes.Length - 8 - length];
        BinaryPrimitives.WriteUInt64LittleEndian(rewritten, (ulong)newHeader.Length);
        newHeader.CopyTo(rewritten, 8);
        bytes.AsSpan(8 + length).CopyTo(rewritten.AsSpan(8 + newHeader.Length));
        File.WriteAllBytes(path, rewritten);
        return path;
    }

    [Theory]
    [InlineData("no shape")]
    [InlineData("offsets not numbers")]
    [InlineData("dtype of another size")]
    [InlineData("unknown dtype")]
    public void A_header_entry_that_is_incomplete_or_disagrees_with_its_bytes_is_a_one_line_user_error(string damage)
    {
        string path = WithEditedHeader(entry =>
        {
            switch (damage)
            {
                case "no shape": entry.Remove("shape"); break;
                case "offsets not numbers": entry["data_offsets"] = new System.Text.Json.Nodes.JsonArray("0", "8"); break;
                case "dtype of another size": entry["dtype"] = "F16"; break;
                case "unknown dtype": entry["dtype"] = "I64"; break;
            }
        });
        using var model = new BertForMaskedLM(Tiny.Config());

        var error = Assert.Throws<UserInputException>(() => SafeTensors.Read(model, path));

        Assert.Contains("word_embeddings", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
