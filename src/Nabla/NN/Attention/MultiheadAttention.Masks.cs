namespace Nabla.NN;

public sealed partial class MultiheadAttention
{
    /// <summary>
    /// Validates attn_mask and key_padding_mask and reshapes them to broadcast over the scores [N, H, L, S]:
    /// attn_mask [L, S] stays, [N·H, L, S] becomes [N, H, L, S]; key_padding_mask [N, S] becomes [N, 1, 1, S].
    /// Bool masks mean True = blocked; float masks are added to the scores (−∞ blocks). Throws when some query
    /// would see no key at all, the case where PyTorch silently returns NaN.
    /// </summary>
    (Tensor? Attn, Tensor? Padding) PrepareMasks(Tensor? attnMask, Tensor? keyPaddingMask, int n, int l, int s, DType dtype)
    {
        Tensor? attn = null, padding = null;
        if (attnMask is not null)
        {
            CheckMaskDType(attnMask, "attn_mask", dtype);
            if (attnMask.Rank == 2)
            {
                if (attnMask.Size(0) != l || attnMask.Size(1) != s)
                    throw new ArgumentException($"{Op}: the 2-D attn_mask must have shape [L, S] = [{l}, {s}], got {attnMask.ShapeText}.");
                attn = attnMask;
            }
            else if (attnMask.Rank == 3)
            {
                if (attnMask.Size(0) != n * NumHeads || attnMask.Size(1) != l || attnMask.Size(2) != s)
                    throw new ArgumentException($"{Op}: the 3-D attn_mask must have shape [N·num_heads, L, S] = [{n * NumHeads}, {l}, {s}], got {attnMask.ShapeText}.");
                attn = attnMask.Reshape(n, NumHeads, l, s);
            }
            else
                throw new ArgumentException($"{Op}: attn_mask must be 2-D [L, S] = [{l}, {s}] or 3-D [N·num_heads, L, S] = [{n * NumHeads}, {l}, {s}], got {attnMask.ShapeText}.");
        }
        if (keyPaddingMask is not null)
        {
            CheckMaskDType(keyPaddingMask, "key_padding_mask", dtype);
            if (keyPaddingMask.Rank != 2 || keyPaddingMask.Size(0) != n || keyPaddingMask.Size(1) != s)
                throw new ArgumentException($"{Op}: key_padding_mask must have shape [N, S] = [{n}, {s}], got {keyPaddingMask.ShapeText}.");
            padding = keyPaddingMask.Reshape(n, 1, 1, s);
        }
        if (attn is not null || padding is not null) CheckEveryQuerySeesAKey(attn, padding, s);
        return (attn, padding);
    }

    static void CheckMaskDType(Tensor mask, string name, DType dtype)
    {
        if (mask.DType != DType.Bool && mask.DType != dtype)
            throw new ArgumentException($"{Op}: {name} must be bool (True = ignore) or {dtype.TorchName()} (added to the scores), got {mask.DType.TorchName()} of shape {mask.ShapeText}.");
    }

    static Tensor ApplyMask(Tensor scores, Tensor? mask) =>
        mask is null ? scores
        : mask.DType == DType.Bool ? scores.MaskedFill(mask, double.NegativeInfinity)
        : scores + mask;

    /// <summary>A row of the combined mask that blocks every key would give 0/0 in the softmax: refuse it with its position.</summary>
    static void CheckEveryQuerySeesAKey(Tensor? attn, Tensor? padding, int s)
    {
        if (s == 0) return;
        Tensor? blocked = null;
        foreach (var m in new[] { attn, padding })
        {
            if (m is null) continue;
            var b = m.DType == DType.Bool ? m : m.Detach().Eq(double.NegativeInfinity);
            blocked = blocked is null ? b : blocked | b;
        }
        var flat = blocked!.Contiguous().ToArray<bool>();
        var shape = blocked.Shape;
        for (int row = 0; row * s < flat.Length; row++)
        {
            int j = 0;
            while (j < s && flat[row * s + j]) j++;
            if (j < s) continue;
            throw new ArgumentException($"{Op}: every key is masked for the row at index {RowIndex(row, shape)} of the combined mask of shape [{string.Join(", ", shape)}] (attn_mask and key_padding_mask together block all {s} keys); PyTorch would return NaN there. Leave at least one key visible to each query.");
        }
    }

    static string RowIndex(int row, int[] shape)
    {
        var index = new int[shape.Length - 1];
        for (int d = index.Length - 1; d >= 0; d--)
        {
            index[d] = row % shape[d];
            row /= shape[d];
        }
        return "[" + string.Join(", ", index) + "]";
    }
}
