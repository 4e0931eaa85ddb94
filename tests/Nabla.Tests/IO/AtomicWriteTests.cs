using System.Collections;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>A failed save never leaves a half-written file or destroys the previous one, and leaves no temporary file.</summary>
public class AtomicWriteTests
{
    /// <summary>Yields some tensors, then throws: the failure happens while the temporary file is being written.</summary>
    sealed class FailingDictionary(int failAfter) : IReadOnlyDictionary<string, Tensor>
    {
        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator()
        {
            for (int i = 0; ; i++)
            {
                if (i == failAfter) throw new InvalidOperationException("injected failure while enumerating tensors");
                yield return new($"t{i}", Tensor.Full([1000], i));
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public int Count => failAfter + 1;
        public bool ContainsKey(string key) => false;
        public bool TryGetValue(string key, out Tensor value) { value = null!; return false; }
        public Tensor this[string key] => throw new KeyNotFoundException(key);
        public IEnumerable<string> Keys => throw new NotSupportedException();
        public IEnumerable<Tensor> Values => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void AFailingSaveKeepsThePreviousFileAndLeavesNoTemporaryFile(int failAfter)
    {
        using var tmp = new TempFolder();
        string path = tmp.File("model.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["old"] = Tensor.From(new[] { 1f, 2f, 3f }, 3) });
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<InvalidOperationException>(() => Safetensors.Save(path, new FailingDictionary(failAfter)));
        Assert.Equal("injected failure while enumerating tensors", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(tmp.Dir));
        Assert.Equal(new[] { 1f, 2f, 3f }, Safetensors.Load(path)["old"].ToArray<float>());
    }

    [Fact]
    public void AFailureAfterHalfTheBytesWereWrittenKeepsThePreviousFile()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("checkpoint.bin");
        File.WriteAllText(path, "previous content");
        string? tempSeen = null;
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            stream.Flush();
            tempSeen = ((FileStream)stream).Name;
            Assert.True(File.Exists(tempSeen));
            Assert.Equal(tmp.Dir, Path.GetDirectoryName(tempSeen)); // same folder: the rename stays on one file system
            throw new IOException("disk full (injected)");
        }));
        Assert.Equal("previous content", File.ReadAllText(path));
        Assert.False(File.Exists(tempSeen));
        Assert.Single(Directory.GetFiles(tmp.Dir));
    }

    [Fact]
    public void AFailedFirstSaveCreatesNoFile()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("new.safetensors");
        Assert.Throws<InvalidOperationException>(() => Safetensors.Save(path, new FailingDictionary(2)));
        Assert.Empty(Directory.GetFiles(tmp.Dir));
    }

    [Fact]
    public void ASuccessfulSaveReplacesTheFileCompletely()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("m.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["big"] = Tensor.Zeros(10_000) });
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["small"] = Tensor.Ones(2) });
        var loaded = Safetensors.Load(path);
        Assert.Equal(["small"], loaded.Keys);
        Assert.Single(Directory.GetFiles(tmp.Dir));
    }

    [Fact]
    public void AMissingFolderOrAFolderTargetIsAClearError()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(tmp.File("no/such/dir/x.bin"), _ => { }));
        Assert.Contains("does not exist", e.Message);
        Directory.CreateDirectory(tmp.File("sub"));
        var e2 = Assert.Throws<IOException>(() => AtomicFile.Write(tmp.File("sub"), _ => { }));
        Assert.Contains("is a folder, not a file", e2.Message);
        Assert.Empty(Directory.GetFiles(tmp.Dir));
    }
}
