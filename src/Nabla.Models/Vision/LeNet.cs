namespace Nabla.Models.Vision;

/// <summary>
/// LeNet-5 (the notes' 6.6). <see cref="Original"/> is the notes' network exactly: Conv(1,6,5,pad 2), Sigmoid,
/// AvgPool(2,2), Conv(6,16,5), Sigmoid, AvgPool(2,2), Flatten, Linear(400,120), Sigmoid, Linear(120,84), Sigmoid,
/// Linear(84,10). <see cref="Modern"/> is the same skeleton with BatchNorm after every conv and hidden Linear, ReLU
/// instead of sigmoid and max instead of average pooling (the notes' 7.5 puts BatchNorm into LeNet; ReLU and max
/// pooling are the modern choices the notes discuss). Any square input of side ≥ 12 works: the first Linear takes
/// 16·s·s features with s = ((n/2) − 4)/2 (5 for 28×28).
/// </summary>
public static class LeNet
{
    public static Sequential Original(int inChannels = 1, int inputSize = 28, int numClasses = 10,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        int features = FlattenedFeatures("LeNet", inChannels, inputSize, numClasses);
        var kit = new LayerKit(dtype, generator);
        return new Sequential(
            kit.Conv(inChannels, 6, 5, padding: 2), new Sigmoid(), new AvgPool2d(2, 2),
            kit.Conv(6, 16, 5), new Sigmoid(), new AvgPool2d(2, 2),
            new Flatten(),
            kit.Linear(features, 120), new Sigmoid(),
            kit.Linear(120, 84), new Sigmoid(),
            kit.Linear(84, numClasses));
    }

    public static Sequential Modern(int inChannels = 1, int inputSize = 28, int numClasses = 10,
        DType dtype = DType.Float32, Generator? generator = null)
    {
        int features = FlattenedFeatures("LeNet", inChannels, inputSize, numClasses);
        var kit = new LayerKit(dtype, generator);
        return new Sequential(
            kit.Conv(inChannels, 6, 5, padding: 2), kit.BatchNorm2d(6), new ReLU(), new MaxPool2d(2, 2),
            kit.Conv(6, 16, 5), kit.BatchNorm2d(16), new ReLU(), new MaxPool2d(2, 2),
            new Flatten(),
            kit.Linear(features, 120), kit.BatchNorm1d(120), new ReLU(),
            kit.Linear(120, 84), kit.BatchNorm1d(84), new ReLU(),
            kit.Linear(84, numClasses));
    }

    static int FlattenedFeatures(string model, int inChannels, int inputSize, int numClasses)
    {
        Shapes.CheckCommon(model, inChannels, inputSize, numClasses);
        int s = Shapes.Window(inputSize, 5, 1, 2) / 2; // conv (pad 2 keeps the size), pool 2
        s = Shapes.Window(s, 5) / 2;                     // conv 5, pool 2
        Shapes.RequirePositive(model, inputSize, s, "LeNet needs at least 12×12");
        return 16 * s * s;
    }
}
