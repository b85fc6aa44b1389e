namespace CustomerSegmentation.ValueModels;

/// <summary>
/// Draws synthetic customers from known BG/NBD and Gamma-Gamma parameters (for parameter-recovery tests and benchmarks).
/// Each customer buys as a Poisson process with λ ~ Gamma(r, α) from their first purchase at time 0 and, after each repeat
/// purchase, drops out with probability p ~ Beta(a, b); each repeat purchase is worth Gamma(p, ν) with ν ~ Gamma(q, γ).
/// </summary>
internal static class BtydSimulator
{
    /// <summary>Simulates <paramref name="ages"/>.Length customers; recency and age are rounded down to whole multiples of <paramref name="grid"/> when it is positive (purchase days).</summary>
    public static BtydData Simulate(
        BgNbdParameters purchases,
        GammaGammaParameters spend,
        double[] ages,
        int seed,
        double grid = 0,
        BtydTimeUnit unit = BtydTimeUnit.Weeks)
    {
        var random = new Random(seed);
        var n = ages.Length;
        double[] x = new double[n], tx = new double[n], t = new double[n], m = new double[n];
        for (var i = 0; i < n; i++)
        {
            var age = grid > 0 ? Math.Floor(ages[i] / grid) * grid : ages[i];
            var lambda = Gamma(random, purchases.R) / purchases.Alpha;
            var g1 = Gamma(random, purchases.A);
            var p = g1 / (g1 + Gamma(random, purchases.B));
            double time = 0, last = 0;
            var count = 0;
            while (true)
            {
                time += -Math.Log(1 - random.NextDouble()) / lambda;
                var when = grid > 0 ? Math.Floor(time / grid) * grid : time;
                if (when > age)
                {
                    break;
                }

                // with a grid, purchases on the same grid point are one purchase period
                if (grid <= 0 || when > last)
                {
                    count++;
                    last = when;
                }

                if (random.NextDouble() < p)
                {
                    break;
                }
            }

            x[i] = count;
            tx[i] = count > 0 ? last : 0;
            t[i] = age;
            if (count > 0)
            {
                var nu = Gamma(random, spend.Q) / spend.Gamma;
                var total = 0.0;
                for (var k = 0; k < count; k++)
                {
                    total += Gamma(random, spend.P) / nu;
                }

                m[i] = total / count;
            }
        }

        return BtydData.FromColumns(unit, x, tx, t, m);
    }

    /// <summary>A Gamma(shape, 1) variate (Marsaglia and Tsang 2000; shapes below 1 by the U^(1/shape) boost).</summary>
    public static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do
            {
                z = Normal(random);
                v = 1 + (c * z);
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < (0.5 * z * z) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
