using Nabla.Tests.Support;

namespace Nabla.Tests.Ops;

/// <summary>Finite-difference checks (float64) of matmul in every rank combination, mm, bmm and outer.</summary>
public class LinearAlgebraGradCheckTests
{
    static Tensor Randn(int seed, params int[] shape) => GradCheckInputs.Uniform(seed, shape);

    static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => GradCheckInputs.AssertPasses(f, inputs);

    [Fact] public void Dot() => Check(x => x[0].MatMul(x[1]), Randn(1, 5), Randn(2, 5));
    [Fact] public void MatrixVector() => Check(x => x[0].MatMul(x[1]), Randn(3, 3, 4), Randn(4, 4));
    [Fact] public void VectorMatrix() => Check(x => x[0].MatMul(x[1]), Randn(5, 4), Randn(6, 4, 3));
    [Fact] public void MatrixMatrix() => Check(x => x[0].MatMul(x[1]), Randn(7, 3, 4), Randn(8, 4, 5));
    [Fact] public void BatchedWithBroadcastBatch() => Check(x => x[0].MatMul(x[1]), Randn(9, 2, 1, 3, 4), Randn(10, 3, 4, 2));
    [Fact] public void BatchedTimesMatrix() => Check(x => x[0].MatMul(x[1]), Randn(11, 2, 3, 4), Randn(12, 4, 2));
    [Fact] public void MatrixTimesBatched() => Check(x => x[0].MatMul(x[1]), Randn(13, 3, 4), Randn(14, 2, 2, 4, 2));
    [Fact] public void VectorTimesBatched() => Check(x => x[0].MatMul(x[1]), Randn(15, 4), Randn(16, 2, 4, 3));
    [Fact] public void BatchedTimesVector() => Check(x => x[0].MatMul(x[1]), Randn(17, 2, 3, 4), Randn(18, 4));
    [Fact] public void TransposedOperands() => Check(x => x[0].T().MatMul(x[1].T()), Randn(19, 4, 3), Randn(20, 5, 4));
    [Fact] public void SameTensorOnBothSides() => Check(x => x[0].MatMul(x[0].T()), Randn(21, 3, 4));
    [Fact] public void Mm() => Check(x => Tensor.Mm(x[0], x[1]), Randn(22, 2, 3), Randn(23, 3, 4));
    [Fact] public void Bmm() => Check(x => Tensor.Bmm(x[0], x[1].Transpose(1, 2)), Randn(24, 2, 3, 4), Randn(25, 2, 5, 4));
    [Fact] public void Outer() => Check(x => Tensor.Outer(x[0], x[1]), Randn(26, 4), Randn(27, 3));
}
