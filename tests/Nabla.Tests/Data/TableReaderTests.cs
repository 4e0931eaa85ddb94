using Nabla.Data;
using Nabla.Tests.Support;

namespace Nabla.Tests.Data;

public class TableReaderTests
{
    static Tensor Parse(string text, char? separator = null, bool hasHeader = false, DType dtype = DType.Float32) =>
        DelimitedTable.Parse(new StringReader(text), "t.csv", separator, hasHeader, dtype);

    [Fact]
    public void TheAirfoilDataLoadsAs1503By6()
    {
        var path = RepoPaths.SharedData("regression", "airfoil_self_noise.dat");
        var table = DelimitedTable.Load(path);
        Assert.Equal([1503, 6], table.Shape);
        Assert.Equal(DType.Float32, table.DType);
        TensorAssert.Equal(Tensor.From(new float[] { 800, 0, 0.3048f, 71.3f, 0.00266337f, 126.201f }), table.Select(0, 0));
        // The last line of the file: 6300 15.6 0.1016 39.6 0.0528487 104.204
        TensorAssert.Equal(Tensor.From(new float[] { 6300, 15.6f, 0.1016f, 39.6f, 0.0528487f, 104.204f }), table.Select(0, 1502));

        var ds = TensorDataset.FromTable(table, -1);
        Assert.Equal([1503, 5], ds.Inputs.Shape);
        Assert.Equal([1503, 1], ds.Targets.Shape);
        var batch = new DataLoader(ds, 10, shuffle: true, seed: 0).First();
        Assert.Equal([10, 5], batch.Input.Shape);
        Assert.Equal([10, 1], batch.Target.Shape);
    }

    [Fact]
    public void ReadsCommaSeparatedTablesWithAHeader()
    {
        var t = Parse("x,y,label\n1, 2.5 ,0\n\n# a comment\n-3e2,4,1\n", hasHeader: true, dtype: DType.Float64);
        Assert.Equal(DType.Float64, t.DType);
        TensorAssert.Equal(Tensor.From(new double[] { 1, 2.5, 0, -300, 4, 1 }, 2, 3), t);
        TensorAssert.Equal(Tensor.From(new float[] { 1, 2, 3, 4 }, 2, 2), Parse("1\t 2\n3    4\n"));
        TensorAssert.Equal(Tensor.From(new float[] { 1, 2, 3, 4 }, 2, 2), Parse("1;2\n3;4", separator: ';'));
    }

    [Fact]
    public void ABadRowNamesTheFileAndLine()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Parse("1 2 3\n4 5 6\n7 8\n"));
        Assert.Equal("table: t.csv line 3: expected 3 columns like the first row, found 2.", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => Parse("1,2\n\n3,abc\n"));
        Assert.Equal("table: t.csv line 3: column 2 holds 'abc', which is not a number.", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => Parse("1,,2\n"));
        Assert.Equal("table: t.csv line 1: column 2 is empty.", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => Parse("1,2,\n"));
        Assert.Equal("table: t.csv line 1: column 3 is empty.", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => Parse("# only a comment\n\n"));
        Assert.Equal("table: t.csv has no data rows.", ex.Message);
    }

    [Fact]
    public void ABadRowInAFileNamesThePath()
    {
        using var dir = new TempFolder();
        var path = dir.File("bad.dat");
        File.WriteAllText(path, "1 2\n3 4\n5 x\n");
        var ex = Assert.Throws<InvalidDataException>(() => DelimitedTable.Load(path));
        Assert.Equal($"table: {path} line 3: column 2 holds 'x', which is not a number.", ex.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => DelimitedTable.Load(dir.File("none.csv")));
        Assert.Contains("none.csv does not exist", missing.Message);
        Assert.Throws<ArgumentException>(() => DelimitedTable.Load(path, dtype: DType.Int64));
    }
}
