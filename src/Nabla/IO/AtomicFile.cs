namespace Nabla.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a mix: the
/// content goes to a temporary file in the same folder (so the final rename stays on one file system), is flushed
/// to the disk, and only then replaces the target with <see cref="File.Move(string, string, bool)"/>, which is an
/// atomic rename on POSIX file systems and NTFS. If writing fails midway, the temporary file is deleted and the
/// previous file is untouched.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a stream on a temporary file, then moves that file over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target)
            ?? throw new ArgumentException($"atomic write: '{path}' names a root, not a file.", nameof(path));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"atomic write: the folder '{folder}' of '{path}' does not exist.");
        if (Directory.Exists(target))
            throw new IOException($"atomic write: '{path}' is a folder, not a file.");

        // A hidden, unique name: concurrent writers to the same target never share a temporary file.
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                // Data on the disk before the rename: after a crash the target is the old file or the complete new one.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }            // the original exception matters more than a leftover temporary file
        catch (UnauthorizedAccessException) { }
    }
}
