// Compiled by TorchSharpDebianFix.targets (an MSBuild inline task, netstandard2.0 API) and, with
// ELF_PATCH_ONLY defined, by tests/Models.Tests so the ELF code is tested on its own.
//
// Why: libLibTorchSharp.so in TorchSharp 0.107.0 was linked by GCC 13 and so requires the symbol version
// GLIBCXX_3.4.32 of libstdc++.so.6. Debian 12 ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30), so the loader
// refuses the library. Exactly one symbol carries that version, _ZSt21ios_base_library_initv, whose body is
// empty and which no relocation references. Marking the version requirement weak (VER_FLG_WEAK in its
// Vernaux entry) turns the loader's error into a note; nothing else in the file changes.
// References: ELF gABI and the LSB "Symbol Versioning" chapter (Elf64_Verneed, Elf64_Vernaux, VER_FLG_WEAK).

#nullable enable
using System;
using System.IO;
using System.Text;
#if !ELF_PATCH_ONLY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

/// <summary>Reads and edits the version requirements (.gnu.version_r) of a 64-bit little-endian ELF file.</summary>
public static class ElfVersionNeeds
{
    const uint SectionTypeGnuVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
    public const ushort WeakFlag = 0x2;                 // VER_FLG_WEAK

    public enum Outcome { NotRequired, AlreadyWeak, MarkedWeak }

    /// <summary>
    /// File offset of vna_flags in the Vernaux entry by which <paramref name="elf"/> requires
    /// <paramref name="version"/> of <paramref name="library"/>, or -1 when it does not require it.
    /// </summary>
    public static long FindFlagsOffset(byte[] elf, string library, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        // ELF header: e_shoff at 0x28, e_shentsize at 0x3a, e_shnum at 0x3c.
        long sectionTable = (long)U64(elf, 0x28);
        int sectionSize = U16(elf, 0x3a), sectionCount = U16(elf, 0x3c);
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionTable + (long)i * sectionSize;
            if (U32(elf, header + 4) != SectionTypeGnuVersionNeed) continue;
            // sh_offset at 0x18, sh_link (the string table, .dynstr) at 0x28, sh_info (number of Verneed) at 0x2c.
            long needs = (long)U64(elf, header + 0x18);
            long strings = (long)U64(elf, sectionTable + (long)U32(elf, header + 0x28) * sectionSize + 0x18);
            uint needCount = U32(elf, header + 0x2c);
            return FindInNeeds(elf, needs, needCount, strings, library, version);
        }
        return -1; // no version requirements at all
    }

    static long FindInNeeds(byte[] elf, long need, uint needCount, long strings, string library, string version)
    {
        for (uint n = 0; n < needCount; n++)
        {
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            int auxCount = U16(elf, need + 2);
            bool isLibrary = String(elf, strings + U32(elf, need + 4)) == library;
            long aux = need + U32(elf, need + 8);
            for (int a = 0; isLibrary && a < auxCount; a++)
            {
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                if (String(elf, strings + U32(elf, aux + 8)) == version) return aux + 4;
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, need + 12);
            if (next == 0) break;
            need += next;
        }
        return -1;
    }

    /// <summary>Marks the requirement weak in place (temp file + rename); does nothing when already weak or absent.</summary>
    public static Outcome MarkWeak(string path, string library, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        long offset = FindFlagsOffset(elf, library, version);
        if (offset < 0) return Outcome.NotRequired;
        ushort flags = U16(elf, offset);
        if ((flags & WeakFlag) != 0) return Outcome.AlreadyWeak;

        // Copy (keeps the file mode), edit the copy, rename over the original: a reader (or a parallel build
        // copying from the NuGet cache) sees either the old file or the new one, never a half-written one.
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.Copy(path, temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write))
            {
                ushort weak = (ushort)(flags | WeakFlag);
                stream.Position = offset;
                stream.Write(new[] { (byte)weak, (byte)(weak >> 8) }, 0, 2);
            }
            File.Replace(temporary, path, null); // rename(2) on Unix
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return Outcome.MarkedWeak;
    }

    /// <summary>Whether a shared library defines <paramref name="version"/>: its name appears NUL-terminated in the file.</summary>
    public static bool Provides(string libraryPath, string version)
    {
        byte[] bytes = File.ReadAllBytes(libraryPath);
        byte[] wanted = Encoding.ASCII.GetBytes(version + "\0");
        for (int i = 0; i + wanted.Length <= bytes.Length; i++)
        {
            int j = 0;
            while (j < wanted.Length && bytes[i + j] == wanted[j]) j++;
            if (j == wanted.Length) return true;
        }
        return false;
    }

    static ushort U16(byte[] b, long at) { Check(b, at, 2); return (ushort)(b[at] | b[at + 1] << 8); }
    static uint U32(byte[] b, long at) { Check(b, at, 4); return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }
    static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

    static string String(byte[] b, long at)
    {
        Check(b, at, 1);
        long end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }

    static void Check(byte[] b, long at, int size)
    {
        if (at < 0 || at + size > b.Length) throw new InvalidDataException("truncated ELF file");
    }
}

#if !ELF_PATCH_ONLY
/// <summary>
/// Marks <see cref="Version"/> of libstdc++.so.6 weak in each of <see cref="Files"/>, but only when one of the
/// <see cref="SystemLibraries"/> that exists lacks that version: elsewhere (Ubuntu 24.04, Debian 13, macOS,
/// Windows) the files stay byte for byte as NuGet delivered them.
/// </summary>
public class MarkLibstdcxxVersionWeak : Task
{
    const string Library = "libstdc++.so.6";

    [Required] public ITaskItem[] Files { get; set; } = new ITaskItem[0];
    [Required] public string Version { get; set; } = "";
    /// <summary>Paths where the system libstdc++.so.6 may be; those missing are skipped.</summary>
    [Required] public ITaskItem[] SystemLibraries { get; set; } = new ITaskItem[0];

    /// <summary>
    /// Mark the files whatever this machine's libstdc++: for a published app (the .NET tool package), which may run on
    /// a Debian 12 machine wherever it was built. A weak requirement changes nothing where the version exists.
    /// </summary>
    public bool Always { get; set; }

    public override bool Execute()
    {
        string? lacking = Always ? "(published: any machine)" : null;
        foreach (var candidate in lacking == null ? SystemLibraries : new ITaskItem[0])
        {
            string path = candidate.ItemSpec;
            if (File.Exists(path) && !ElfVersionNeeds.Provides(path, Version)) { lacking = path; break; }
        }
        if (lacking == null)
        {
            Log.LogMessage(MessageImportance.Low, $"No system {Library} lacks {Version}: TorchSharp's native files left as they are.");
            return true;
        }

        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                var outcome = ElfVersionNeeds.MarkWeak(path, Library, Version);
                var importance = outcome == ElfVersionNeeds.Outcome.MarkedWeak ? MessageImportance.High : MessageImportance.Low;
                Log.LogMessage(importance, $"{path}: {outcome} ({Version} of {Library}; {lacking} lacks it)");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // A read-only package folder must not fail the build; the load error at run time names the file.
                Log.LogWarning($"Could not mark {Version} weak in {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
