using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.IO;

namespace Nabla.Cli.Runs;

/// <summary>
/// The JSON conventions every checkpoint sidecar shares (image, language-model, sentiment and translation runs):
/// snake_case keys, indented, NaN and ∞ allowed (a diverged loss is still recorded), written atomically with a final
/// newline; and reading the "format" key before anything else, so a sidecar of another kind is named, not misparsed.
/// </summary>
public static class SidecarJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Save<T>(string path, T value) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(Serialize(value) + "\n")));

    /// <summary>The "format" string of a sidecar's text, or null when it has none; text that is not JSON throws naming the file.</summary>
    public static string? ReadFormat(string path, string text, string command)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String
                ? f.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{command}: the sidecar '{path}' is not valid JSON: {e.Message}", e);
        }
    }
}
