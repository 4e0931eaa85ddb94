using Nabla.Autograd;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// The notes' classic learners, written as in docs/classic-learners.md with raw parameter tensors, autograd
/// and the optimizers: each must reach a stated training outcome, so a broken loss, gradient or optimizer fails.
/// </summary>
public class ClassicLearnerTests
{
    // ---- the perceptron ----

    /// <summary>The perceptron's step function: +1 where z &gt; 0, else −1.</summary>
    static Tensor Step(Tensor z) => Tensor.Where(z > 0.0, Tensor.OnesLike(z), -1.0);

    [Fact]
    public void PerceptronSeparatesLinearlySeparableData()
    {
        var (x, y) = SeparableData(new Generator(1), 200, margin: 0.3);
        var w = Tensor.Zeros(2);
        var b = Tensor.Zeros(1);
        int updates = 0, epochs = 0;
        for (bool mistake = true; mistake && epochs < 100; epochs++)
        {
            mistake = false;
            for (int i = 0; i < x.Size(0); i++)
            {
                var xi = x.Select(0, i);
                double yi = y.Select(0, i).Item();
                if (yi * ((xi * w).Sum() + b).Item() > 0) continue;
                // The notes' update on a mistake: w ← w + y·x, b ← b + y.
                w.CopyFrom(w + xi * yi);
                b.CopyFrom(b + yi);
                updates++;
                mistake = true;
            }
        }
        int errors = (int)Step(x.MatMul(w) + b).Ne(y).Long().Sum().Item();
        Assert.Equal(0, errors);
        Assert.True(updates > 0, "the perceptron never updated: the test data must start misclassified");
    }

    /// <summary>Points in [−3, 3]², labelled ±1 by the line x₁ − 2x₂ + 0.5 = 0, dropping those within the margin.</summary>
    static (Tensor X, Tensor Y) SeparableData(Generator g, int n, double margin)
    {
        var xs = new List<float>();
        var ys = new List<float>();
        while (ys.Count < n)
        {
            double a = g.NextDouble() * 6 - 3, c = g.NextDouble() * 6 - 3;
            double s = (a - 2 * c + 0.5) / Math.Sqrt(5);
            if (Math.Abs(s) < margin) continue;
            xs.AddRange([(float)a, (float)c]);
            ys.Add(s > 0 ? 1 : -1);
        }
        return (Tensor.From(xs.ToArray(), n, 2), Tensor.From(ys.ToArray(), n));
    }

    // ---- linear regression by minibatch SGD on the airfoil data ----

    [Fact]
    public void LinearRegressionOnAirfoilApproachesLeastSquares()
    {
        var (features, target) = LoadAirfoil();
        var x = Standardise(features);
        int n = x.Size(0), d = x.Size(1);

        var w = Tensor.Zeros(d, 1).RequiresGrad_();
        var b = Tensor.Zeros(1).RequiresGrad_();
        var optimizer = new SGD([w, b], lr: 0.03);
        var g = new Generator(2);
        for (int epoch = 0; epoch < 30; epoch++)
            foreach (var batch in Batches(n, 32, g))
            {
                var xb = x.IndexSelect(0, batch);
                var yb = target.IndexSelect(0, batch);
                var loss = Functional.MseLoss(xb.MatMul(w) + b, yb, half: true);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }

        double mse, meanOnly;
        using (new NoGrad())
        {
            mse = Functional.MseLoss(x.MatMul(w) + b, target).Item();
            meanOnly = Functional.MseLoss(Tensor.FullLike(target, target.Mean().Item()), target).Item();
        }
        double leastSquares = LeastSquaresMse(x, target);
        Assert.InRange(leastSquares, 23.0, 23.1); // numpy.linalg.lstsq gives 23.0327 on the standardised features
        Assert.True(mse < 0.6 * meanOnly, $"SGD MSE {mse:F3} does not beat predicting the mean ({meanOnly:F3}) by a wide margin");
        Assert.True(mse < 1.03 * leastSquares, $"SGD MSE {mse:F3} is not within 3% of the closed-form least-squares MSE {leastSquares:F3}");
    }

    /// <summary>The airfoil table shipped in data/regression: five features and the sound level, whitespace-separated.</summary>
    static (Tensor Features, Tensor Target) LoadAirfoil()
    {
        var table = DelimitedTable.Load(RepoPaths.InRepo("data", "regression", "airfoil_self_noise.dat"));
        Assert.Equal([1503, 6], table.Shape);
        return (table.Narrow(1, 0, 5), table.Narrow(1, 5, 1));
    }

    /// <summary>(x − mean) / std per column, population std, as the notes do.</summary>
    static Tensor Standardise(Tensor x) => (x - x.Mean(0)) / x.Std(0, unbiased: false);

    /// <summary>A shuffled partition of 0..n−1 into int64 index batches.</summary>
    static IEnumerable<Tensor> Batches(int n, int size, Generator g)
    {
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)g.NextInt64(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (int start = 0; start < n; start += size)
            yield return Tensor.From(order[start..Math.Min(n, start + size)]);
    }

    /// <summary>MSE of the exact least-squares fit with intercept, from the normal equations in double precision.</summary>
    static double LeastSquaresMse(Tensor x, Tensor y)
    {
        int n = x.Size(0), d = x.Size(1) + 1;
        var xs = x.Double().Contiguous().ToArray<double>();
        var ys = y.Double().Contiguous().ToArray<double>();
        double Feature(int i, int k) => k == 0 ? 1 : xs[i * (d - 1) + k - 1];
        var a = new double[d, d + 1];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++) a[r, c] += Feature(i, r) * Feature(i, c);
                a[r, d] += Feature(i, r) * ys[i];
            }
        // Gauss–Jordan with partial pivoting on the augmented system.
        for (int col = 0; col < d; col++)
        {
            int pivot = Enumerable.Range(col, d - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int c = 0; c <= d; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            for (int r = 0; r < d; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                for (int c = col; c <= d; c++) a[r, c] -= f * a[col, c];
            }
        }
        double sse = 0;
        for (int i = 0; i < n; i++)
        {
            double p = 0;
            for (int k = 0; k < d; k++) p += a[k, d] / a[k, k] * Feature(i, k);
            sse += (p - ys[i]) * (p - ys[i]);
        }
        return sse / n;
    }

    // ---- logistic and softmax regression on Gaussian blobs ----

    /// <summary>n points per centre, each centre's cloud N(centre, I), labelled by centre index.</summary>
    static (Tensor X, Tensor Labels) Blobs(Generator g, int n, params (double, double)[] centres)
    {
        var xs = new float[centres.Length * n * 2];
        var labels = new long[centres.Length * n];
        for (int k = 0, i = 0; k < centres.Length; k++)
            for (int j = 0; j < n; j++, i++)
            {
                xs[2 * i] = (float)g.NextNormal(centres[k].Item1, 1);
                xs[2 * i + 1] = (float)g.NextNormal(centres[k].Item2, 1);
                labels[i] = k;
            }
        return (Tensor.From(xs, labels.Length, 2), Tensor.From(labels));
    }

    [Fact]
    public void LogisticRegressionSeparatesTwoBlobs()
    {
        var (x, labels) = Blobs(new Generator(3), 200, (-1.5, -1.5), (1.5, 1.5));
        var y = labels.Float();
        var w = Tensor.Zeros(2).RequiresGrad_();
        var b = Tensor.Zeros(1).RequiresGrad_();
        var optimizer = new SGD([w, b], lr: 0.5);
        double first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            var loss = Functional.BinaryCrossEntropyWithLogits(x.MatMul(w) + b, y);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
        }
        double accuracy;
        using (new NoGrad()) accuracy = ((x.MatMul(w) + b) > 0.0).Eq(y > 0.5).Float().Mean().Item();
        Assert.True(accuracy >= 0.95, $"logistic regression reached only {accuracy:P1} training accuracy");
        Assert.True(last < 0.5 * first, $"the loss barely fell ({first:F3} → {last:F3})");
    }

    [Fact]
    public void SoftmaxRegressionClassifiesFourBlobs()
    {
        var (x, labels) = Blobs(new Generator(4), 150, (3, 0), (-3, 0), (0, 3), (0, -3));
        var w = Tensor.Zeros(2, 4).RequiresGrad_();
        var b = Tensor.Zeros(4).RequiresGrad_();
        var optimizer = new SGD([w, b], lr: 0.1);
        var g = new Generator(5);
        for (int epoch = 0; epoch < 5; epoch++)
            foreach (var batch in Batches(x.Size(0), 32, g))
            {
                var loss = Functional.CrossEntropy(x.IndexSelect(0, batch).MatMul(w) + b, labels.IndexSelect(0, batch));
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
            }
        double accuracy;
        using (new NoGrad()) accuracy = (x.MatMul(w) + b).ArgMax(1).Eq(labels).Float().Mean().Item();
        Assert.True(accuracy >= 0.9, $"softmax regression reached only {accuracy:P1} training accuracy");
    }
}
