using System.Text;

namespace Ose.Models.Tests.Build;

/// <summary>The ELF edit that lets TorchSharp load on Debian 12 (build/TorchSharpDebianFix.cs).</summary>
public class TorchSharpDebianFixTests
{
    const string Library = "libstdc++.so.6", Version = "GLIBCXX_3.4.32";

    static string Native(string name) => Path.Combine(AppContext.BaseDirectory, name);

    [Fact]
    public void Marking_sets_only_the_weak_bit_of_the_one_requirement_and_is_idempotent()
    {
        var copy = Path.GetTempFileName();
        try
        {
            // Start from the file as NuGet ships it: the build may have marked the copy in bin/ already.
            var shipped = File.ReadAllBytes(Native("libLibTorchSharp.so"));
            long offset = ElfVersionNeeds.FindFlagsOffset(shipped, Library, Version);
            Assert.True(offset > 0, $"libLibTorchSharp.so no longer requires {Version}: re-check the fix");
            shipped[offset] &= unchecked((byte)~ElfVersionNeeds.WeakFlag);
            File.WriteAllBytes(copy, shipped);

            Assert.Equal(ElfVersionNeeds.Outcome.MarkedWeak, ElfVersionNeeds.MarkWeak(copy, Library, Version));
            var marked = File.ReadAllBytes(copy);
            var changed = Enumerable.Range(0, shipped.Length).Where(i => marked[i] != shipped[i]).ToArray();
            Assert.Equal(new[] { (int)offset }, changed);
            Assert.Equal(ElfVersionNeeds.WeakFlag, marked[offset] ^ shipped[offset]);

            Assert.Equal(ElfVersionNeeds.Outcome.AlreadyWeak, ElfVersionNeeds.MarkWeak(copy, Library, Version));
            Assert.Equal(marked, File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void A_library_that_does_not_require_the_version_is_left_alone()
    {
        var copy = Path.GetTempFileName();
        try
        {
            File.Copy(Native("libtorch.so"), copy, overwrite: true);
            var before = File.ReadAllBytes(copy);
            Assert.Equal(ElfVersionNeeds.Outcome.NotRequired, ElfVersionNeeds.MarkWeak(copy, Library, Version));
            Assert.Equal(before, File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.FindFlagsOffset(Encoding.ASCII.GetBytes("#!/bin/sh\necho not a library\n"), Library, Version));
    }

    [Theory]
    [InlineData("..GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0..", true)]
    [InlineData("..GLIBCXX_3.4.30\0GLIBCXX_3.4.31\0..", false)]
    [InlineData("..GLIBCXX_3.4.320\0..", false)]
    public void A_library_provides_a_version_when_its_name_appears_nul_terminated(string content, bool provides)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, Encoding.ASCII.GetBytes(content));
            Assert.Equal(provides, ElfVersionNeeds.Provides(file, Version));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
