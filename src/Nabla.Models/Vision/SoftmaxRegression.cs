namespace Nabla.Models.Vision;

/// <summary>
/// Softmax regression (the notes' 3.7): Flatten, then one Linear from the C·H·W pixels to the classes. The softmax
/// itself lives in the cross-entropy loss, so the model returns logits. State dict: <c>1.weight</c>, <c>1.bias</c>.
/// </summary>
public static class SoftmaxRegression
{
    public static Sequential Create(int inChannels = 1, int inputSize = 28, int numClasses = 10,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        Shapes.CheckCommon("SoftmaxRegression", inChannels, inputSize, numClasses);
        var kit = new LayerKit(dtype, generator);
        return new Sequential(new Flatten(), kit.Linear(inChannels * inputSize * inputSize, numClasses));
    }
}
