namespace Ose.Agora.Vectors;

/// <summary>
/// Samples uniformly in the ball of radius r around a point (direction uniform on the sphere, distance r·u^(1/d)):
/// "similar, but not too similar" for vector tasks.
/// </summary>
public sealed class BallSampler(double radius) : INeighbourSampler<float[]>
{
    public double Radius { get; } = radius > 0 ? radius : throw new UserInputException($"the ball radius must be positive, got {radius}");

    public IReadOnlyList<float[]> Sample(float[] seedPoint, int count, long seed)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        int d = seedPoint.Length;
        var points = new float[count][];
        for (int n = 0; n < count; n++)
        {
            var direction = new double[d];
            double norm;
            do
            {
                for (int i = 0; i < d; i++) direction[i] = Gaussian(random);
                norm = Math.Sqrt(direction.Sum(x => x * x));
            } while (norm == 0);
            double distance = Radius * Math.Pow(random.NextDouble(), 1.0 / d);
            points[n] = seedPoint.Select((x, i) => (float)(x + distance * direction[i] / norm)).ToArray();
        }
        return points;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A vector as comma-separated numbers.</summary>
public sealed class VectorFormat : IPointFormat<float[]>
{
    public string Write(float[] point) => string.Join(',', point.Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    public float[] Read(string text) => text.Split(',').Select(x => float.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
