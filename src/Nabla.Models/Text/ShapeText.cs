namespace Nabla.Models.Text;

/// <summary>Shapes in messages as PyTorch prints them, "[2, 3]" (Tensor's own formatter is internal to Nabla).</summary>
internal static class ShapeText
{
    public static string ShapeString(this IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";
}
