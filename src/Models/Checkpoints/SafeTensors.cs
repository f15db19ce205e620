using Ose.IO;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Ose.Models.Checkpoints;

/// <summary>
/// The safetensors format Hugging Face checkpoints use: an 8-byte little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets}}, then the raw little-endian tensors. Parameter names are the module's, which
/// mirror HF BERT's, so a checkpoint maps one to one.
/// </summary>
public static class SafeTensors
{
    /// <summary>HF stores the tied decoder (and its bias alias) and some buffers that are not parameters here.</summary>
    private static readonly string[] IgnoredWhenReading =
        ["cls.predictions.decoder.weight", "cls.predictions.decoder.bias", "bert.embeddings.position_ids", "embeddings.position_ids"];

    public static void Write(nn.Module module, string path)
    {
        var tensors = module.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            long bytes = tensor.numel() * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        header["__metadata__"] = new JsonObject { ["format"] = "pt" };
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());

        CrashSafe.WriteFile(path, temporary =>
        {
            using var file = File.Create(temporary);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
            file.Write(length);
            file.Write(json);
            foreach (var (_, tensor) in tensors)
            {
                var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
                // Our machines are little-endian, as the format is.
                file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
        });
    }

    /// <summary>
    /// Copies every tensor of the file into the module's parameter of the same name (with or without HF's "bert."
    /// prefix). A missing or extra tensor, or a shape that differs, is a user error naming it.
    /// </summary>
    public static void Read(nn.Module module, string path)
    {
        byte[] bytes;
        JsonObject header;
        long dataStart;
        try
        {
            bytes = File.ReadAllBytes(path);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0, 8));
            if (length > (ulong)bytes.Length - 8) throw new InvalidDataException("header longer than the file");
            header = JsonNode.Parse(bytes.AsSpan(8, (int)length))!.AsObject();
            dataStart = 8 + (long)length;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new UserInputException($"{path} is not a safetensors file: {e.Message}");
        }

        var parameters = module.state_dict();
        var filled = new HashSet<string>();
        using var _ = no_grad();
        foreach (var (storedName, entry) in header)
        {
            if (storedName == "__metadata__" || IgnoredWhenReading.Contains(storedName)) continue;
            string name = parameters.ContainsKey(storedName) ? storedName
                : storedName.StartsWith("bert.", StringComparison.Ordinal) && parameters.ContainsKey(storedName[5..]) ? storedName[5..]
                : parameters.ContainsKey("bert." + storedName) ? "bert." + storedName
                : throw new UserInputException($"{path}: tensor '{storedName}' has no place in this model (another architecture?)");
            var target = parameters[name];
            var (dtype, shape, offsets) = ReadEntry(entry, path, storedName);
            if (!shape.SequenceEqual(target.shape))
                throw new UserInputException($"{path}: '{storedName}' has shape [{string.Join(',', shape)}], the model expects [{string.Join(',', target.shape)}]");
            // A file cut short (an interrupted copy) keeps its header: its offsets then point past the end.
            if (offsets[0] < 0 || offsets[1] < offsets[0] || dataStart + offsets[1] > bytes.Length)
                throw new UserInputException($"{path}: '{storedName}' lies outside the file (truncated?)");
            if (offsets[1] - offsets[0] != shape.Aggregate(1L, (n, d) => n * d) * BytesPerElement(dtype, path, storedName))
                throw new UserInputException($"{path}: '{storedName}' holds {offsets[1] - offsets[0]} bytes, not what {dtype} [{string.Join(',', shape)}] needs");
            var data = bytes.AsSpan((int)(dataStart + offsets[0]), (int)(offsets[1] - offsets[0]));
            target.copy_(Decode(data, dtype, shape));
            filled.Add(name);
        }
        var missing = parameters.Keys.Where(k => !filled.Contains(k)).ToArray();
        if (missing.Length > 0)
            throw new UserInputException($"{path} lacks {missing.Length} tensor(s) of this model, first '{missing[0]}'");
    }

    /// <summary>The dtype, shape and data offsets of one header entry; anything else is a user error naming the tensor.</summary>
    private static (string DType, long[] Shape, long[] Offsets) ReadEntry(JsonNode? entry, string path, string name)
    {
        static long[]? Numbers(JsonNode? node) =>
            node is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue(out long _))
                ? array.Select(n => n!.GetValue<long>()).ToArray()
                : null;
        string? dtype = entry?["dtype"] is JsonValue d && d.TryGetValue(out string? text) ? text : null;
        long[]? shape = Numbers(entry?["shape"]), offsets = Numbers(entry?["data_offsets"]);
        if (dtype is null || shape is null || offsets is not { Length: 2 })
            throw new UserInputException($"{path}: the header entry of '{name}' needs a dtype, a shape and two data_offsets");
        return (dtype, shape, offsets);
    }

    private static long BytesPerElement(string dtype, string path, string name) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => throw new UserInputException($"{path}: '{name}' has dtype {dtype}; F32, F16 and BF16 are read"),
    };

    private static Tensor Decode(ReadOnlySpan<byte> data, string dtype, long[] shape) => dtype switch
    {
        "F32" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray(), shape),
        "F16" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(data).ToArray().Select(h => (float)h).ToArray(), shape),
        "BF16" => tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data).ToArray()
            .Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray(), shape),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "checked by BytesPerElement"),
    };
}
