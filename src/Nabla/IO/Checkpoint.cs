using Nabla.NN;
using Nabla.Optim;

namespace Nabla.IO;

/// <summary>
/// Training checkpoints: a model's state dict under PyTorch's names (so <c>model.load_state_dict</c> in PyTorch reads
/// the model part of the file as it is) plus, optionally, the optimizer's state, in one safetensors file written
/// atomically. Layout: docs/CHECKPOINTS.md.
/// <code>
/// Checkpoint.Save("run/last.safetensors", model, optimizer, new Dictionary&lt;string, string&gt; { ["epoch"] = "3" });
/// var info = Checkpoint.Load("run/last.safetensors", model, optimizer);   // info.Metadata["epoch"] == "3"
/// </code>
/// </summary>
public static class Checkpoint
{
    /// <summary>Prefix of the optimizer's tensors; model state may not use it.</summary>
    public const string OptimizerPrefix = OptimizerCheckpoint.TensorPrefix;

    /// <summary>The metadata key holding the optimizer's JSON description; user metadata may not use it.</summary>
    public const string OptimizerMetadataKey = OptimizerCheckpoint.MetadataKey;

    /// <summary>
    /// Writes <paramref name="model"/>'s state dict, the state of <paramref name="optimizer"/> when given, and
    /// <paramref name="metadata"/> (string pairs, e.g. the epoch) to <paramref name="path"/>, replacing it atomically.
    /// </summary>
    public static void Save(string path, Module model, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = model.StateDict();
        foreach (var key in tensors.Keys)
            if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"checkpoint: the model's state key '{key}' starts with '{OptimizerPrefix}', which is reserved for the optimizer state.");

        // "format": "pt" is what the Python safetensors writer records for PyTorch tensors (Hugging Face loaders check it).
        var meta = new Dictionary<string, string> { ["format"] = "pt" };
        if (metadata is not null)
            foreach (var (key, value) in metadata)
            {
                if (key == OptimizerMetadataKey)
                    throw new ArgumentException($"checkpoint: the metadata key '{OptimizerMetadataKey}' is reserved for the optimizer state.");
                meta[key] = value;
            }
        if (optimizer is not null)
            meta[OptimizerMetadataKey] = OptimizerCheckpoint.Encode(optimizer.StateDict(), ParamNames(model, optimizer), tensors);
        Safetensors.Save(path, tensors, meta);
    }

    /// <summary>
    /// Restores <paramref name="model"/> (and <paramref name="optimizer"/>, when given) from a checkpoint. With
    /// <paramref name="strict"/>, the checkpoint's model keys must match the model's exactly; shapes must always
    /// match. A checkpoint of another architecture throws the module system's <see cref="StateDictException"/>
    /// listing the keys and shapes; a corrupt file throws <see cref="InvalidDataException"/>. Either way, neither
    /// the model nor the optimizer changes.
    /// </summary>
    public static CheckpointLoadResult Load(string path, Module model, Optimizer? optimizer = null, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        string source = $"'{path}'";
        var tensors = Safetensors.Load(path, out var meta);
        var modelState = new OrderedDictionary<string, Tensor>();
        var optimizerTensors = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in tensors)
        {
            if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)) optimizerTensors[key] = tensor;
            else modelState.Add(key, tensor);
        }

        // Decode (and so check) the optimizer state before touching the model.
        OptimizerStateDict? optimizerState = null;
        string?[] savedNames = [];
        if (optimizer is not null)
        {
            if (!meta.TryGetValue(OptimizerMetadataKey, out var json))
                throw new InvalidDataException($"checkpoint: {source} holds no optimizer state (it was saved without an optimizer), so {optimizer.Name} cannot be restored from it; load the model alone.");
            (optimizerState, savedNames) = OptimizerCheckpoint.Decode(json, optimizerTensors, source);
        }

        // The model checks every key and shape before copying; the optimizer is loaded after it, and if that fails
        // the model is put back from a snapshot, so a failed load changes nothing.
        var snapshot = optimizerState is null ? null : Snapshot(model);
        var result = model.LoadStateDict(modelState, strict);
        if (optimizerState is not null)
        {
            try
            {
                CheckNames(savedNames, ParamNames(model, optimizer!), optimizer!.Name, source);
                optimizer.LoadStateDict(optimizerState);
            }
            catch
            {
                model.LoadStateDict(snapshot!);
                throw;
            }
        }

        var userMetadata = meta.Where(kv => kv.Key != OptimizerMetadataKey).ToDictionary(kv => kv.Key, kv => kv.Value);
        return new CheckpointLoadResult(result.MissingKeys, result.UnexpectedKeys, userMetadata, meta.ContainsKey(OptimizerMetadataKey));
    }

    /// <summary>The model's name for each optimizer parameter, in the optimizer's order (null when the model does not own it).</summary>
    static string?[] ParamNames(Module model, Optimizer optimizer)
    {
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, p) in model.NamedParameters()) names.TryAdd(p, name);
        return optimizer.ParamGroups.SelectMany(g => g.Params).Select(p => names.GetValueOrDefault(p)).ToArray();
    }

    /// <summary>Guards against an optimizer built over the same parameters in another order, which would give each one another's state.</summary>
    static void CheckNames(string?[] saved, string?[] current, string optimizer, string source)
    {
        if (saved.Length != current.Length) return; // the optimizer's own check reports the count mismatch
        for (int i = 0; i < saved.Length; i++)
            if (saved[i] is not null && current[i] is not null && saved[i] != current[i])
                throw new ArgumentException($"checkpoint: {source}: {optimizer} parameter {i} was the model's '{saved[i]}' when saved but is '{current[i]}' now; build the optimizer over the parameters in the same order as when saving.");
    }

    static OrderedDictionary<string, Tensor> Snapshot(Module model)
    {
        var copy = new OrderedDictionary<string, Tensor>();
        foreach (var (key, tensor) in model.StateDict()) copy.Add(key, tensor.DenseCopy());
        return copy;
    }
}

/// <summary>
/// What <see cref="Checkpoint.Load"/> found: model keys it did not match (empty after a strict load), the user
/// metadata (including "format"), and whether the file holds optimizer state.
/// </summary>
public sealed record CheckpointLoadResult(
    IReadOnlyList<string> MissingKeys,
    IReadOnlyList<string> UnexpectedKeys,
    IReadOnlyDictionary<string, string> Metadata,
    bool HasOptimizerState);
