using System.Globalization;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class TrainingHistoryTests
{
    static TrainingHistory Sample()
    {
        var h = new TrainingHistory(topK: 5);
        h.Add(new EpochRecord(1, 0.1 + 0.2, 0.5, 0.9, 1.0 / 3, 2.0 / 3, 0.95, 1e-3, 1.25, 12345.678));
        h.Add(new EpochRecord(2, Math.PI, 0.75, 1, null, null, null, 5e-4, 0.5, 1e300));
        return h;
    }

    [Fact]
    public void JsonRoundTripsEveryBit()
    {
        var h = Sample();
        var back = TrainingHistory.FromJson(h.ToJson());
        Assert.Equal(5, back.TopK);
        Assert.Equal(h.Epochs, back.Epochs);
        Assert.Contains("\"val_loss\": null", h.ToJson());
        Assert.Equal(h.ToJson(indented: false), back.ToJson(indented: false));
    }

    [Fact]
    public void FilesAreWrittenAndReadBack()
    {
        using var dir = new TempFolder();
        var h = Sample();
        h.SaveJson(dir.File("h.json"));
        h.SaveCsv(dir.File("h.csv"));
        Assert.Equal(h.Epochs, TrainingHistory.LoadJson(dir.File("h.json")).Epochs);
        var lines = File.ReadAllLines(dir.File("h.csv"));
        Assert.Equal("epoch,loss,acc,top5_acc,val_loss,val_acc,val_top5_acc,lr,seconds,samples_per_second", lines[0]);
        Assert.Equal("2,3.141592653589793,0.75,1,,,,0.0005,0.5,1E+300", lines[2]);
        // Every CSV number parses back to the same double.
        var first = lines[1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(0.1 + 0.2, first[1]);
        Assert.Equal(1.0 / 3, first[4]);
        Assert.Empty(Directory.GetFiles(dir.Dir, "*.tmp"));
    }

    [Fact]
    public void SeriesAndMetricNames()
    {
        var h = Sample();
        Assert.Equal([0.5, 0.75], h.Series("acc"));
        Assert.Equal([1.0 / 3, null], h.Series("val_loss"));
        Assert.Contains("unknown metric 'accuracy'", Assert.Throws<ArgumentException>(() => h.Series("accuracy")).Message);
    }

    [Fact]
    public void CorruptJsonIsReportedWithTheSource()
    {
        Assert.Contains("run.json: not valid JSON", Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson("{", "run.json")).Message);
        Assert.Contains("has no 'epochs' array", Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson("{\"top_k\": null}")).Message);
        var skipped = "{\"top_k\": null, \"epochs\": [{\"epoch\": 2, \"loss\": 1, \"lr\": 1, \"seconds\": 1, \"samples_per_second\": 1}]}";
        Assert.Contains("says epoch 2", Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson(skipped)).Message);
        var missing = "{\"top_k\": null, \"epochs\": [{\"epoch\": 1, \"lr\": 1, \"seconds\": 1, \"samples_per_second\": 1}]}";
        Assert.Contains("has no 'loss'", Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson(missing)).Message);
        var text = "{\"top_k\": null, \"epochs\": [{\"epoch\": 1, \"loss\": true, \"lr\": 1, \"seconds\": 1, \"samples_per_second\": 1}]}";
        Assert.Contains("'loss' should be a number", Assert.Throws<InvalidDataException>(() => TrainingHistory.FromJson(text)).Message);
    }
}
