using System.Globalization;

namespace CustomerSegmentation.ValueModels;

public sealed partial class BgNbdModel
{
    /// <summary>
    /// The expected number of purchases of a new customer (one who just made their first purchase) in the next
    /// <paramref name="t"/> time units: E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1; t/(α + t))].
    /// </summary>
    /// <param name="t">The horizon, ≥ 0, in <see cref="TimeUnit"/>.</param>
    /// <returns>The expected purchases (repeat purchases of the newly acquired customer), ≥ 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative or not finite.</exception>
    public double ExpectedPurchases(double t)
    {
        RequireHorizon(t);
        return Conditional(Parameters, t, 0, 0, 0, givenAlive: true);
    }

    /// <summary>
    /// The expected number of purchases in the next <paramref name="t"/> time units of a customer with history
    /// (x, t_x, T) (FHL 2005, eq. 10).
    /// </summary>
    /// <param name="t">The horizon, ≥ 0.</param>
    /// <param name="x">The frequency, a whole number ≥ 0.</param>
    /// <param name="tx">The recency, 0 ≤ t_x ≤ T.</param>
    /// <param name="age">The age T.</param>
    /// <returns>The expected purchases, ≥ 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public double ConditionalExpectedPurchases(double t, double x, double tx, double age)
    {
        RequireHorizon(t);
        RequireHistory(x, tx, age);
        return Conditional(Parameters, t, x, tx, age, givenAlive: false);
    }

    /// <summary>
    /// The probability that a customer with history (x, t_x, T) is still active:
    /// P(alive) = 1 / (1 + δ(x &gt; 0) · a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)). It is 1 for x = 0: in BG/NBD a
    /// customer can only drop out right after a purchase, and the first one is not modelled.
    /// </summary>
    /// <param name="x">The frequency, a whole number ≥ 0.</param>
    /// <param name="tx">The recency, 0 ≤ t_x ≤ T.</param>
    /// <param name="age">The age T.</param>
    /// <returns>The probability, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public double ProbabilityAlive(double x, double tx, double age)
    {
        RequireHistory(x, tx, age);
        return Alive(Parameters, x, tx, age);
    }

    /// <summary>Explains <see cref="ProbabilityAlive(double, double, double)"/> for one customer, with its figures.</summary>
    /// <param name="x">The frequency.</param>
    /// <param name="tx">The recency.</param>
    /// <param name="age">The age T.</param>
    /// <returns>A sentence with the inputs, the parameters and the result.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public string ExplainProbabilityAlive(double x, double tx, double age)
    {
        var p = ProbabilityAlive(x, tx, age);
        var unit = TimeUnit.ToString().ToLowerInvariant();
        return x == 0
            ? string.Create(CultureInfo.InvariantCulture, $"P(alive) = 1: no repeat purchase yet (x = 0), and BG/NBD customers drop out only right after a repeat purchase; age {age:G4} {unit}.")
            : string.Create(CultureInfo.InvariantCulture, $"P(alive) = {p:F4}: {x} repeat purchases, the last {age - tx:G4} {unit} ago at age {age:G4} {unit}; 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) with {Parameters}.");
    }

    /// <summary>Computes <see cref="ProbabilityAlive(double, double, double)"/> for columns of customers.</summary>
    /// <param name="x">Frequencies.</param>
    /// <param name="tx">Recencies.</param>
    /// <param name="age">Ages.</param>
    /// <param name="destination">Receives one probability per customer; as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <remarks>Inputs are not range-checked per customer (use <see cref="BtydData"/> columns, which are).</remarks>
    public void ProbabilityAlive(ReadOnlySpan<double> x, ReadOnlySpan<double> tx, ReadOnlySpan<double> age, Span<double> destination)
    {
        RequireSameLength(x.Length, tx.Length, age.Length, destination.Length);
        var p = Parameters;
        for (var i = 0; i < x.Length; i++)
        {
            destination[i] = Alive(p, x[i], tx[i], age[i]);
        }
    }

    /// <summary>Computes <see cref="ProbabilityAlive(double, double, double)"/> for every customer of a summary, in parallel.</summary>
    /// <param name="data">The summary, in this model's time unit.</param>
    /// <returns>One probability per customer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    public double[] ProbabilityAlive(BtydData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = new double[data.Count];
        ProbabilityAlive(data, result);
        return result;
    }

    /// <summary>Computes <see cref="ProbabilityAlive(double, double, double)"/> for every customer of a summary into a caller's buffer, in parallel, without allocating per customer.</summary>
    /// <param name="data">The summary, in this model's time unit.</param>
    /// <param name="destination">Receives one probability per customer; exactly <see cref="BtydData.Count"/> long.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public void ProbabilityAlive(BtydData data, Memory<double> destination)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireSameLength(data.Count, data.Count, data.Count, destination.Length);
        ForChunks(data.Count, (from, length) => ProbabilityAlive(
            data.Frequency.Slice(from, length), data.Recency.Slice(from, length), data.Age.Slice(from, length), destination.Span.Slice(from, length)));
    }

    /// <summary>Computes <see cref="ConditionalExpectedPurchases(double, double, double, double)"/> for columns of customers.</summary>
    /// <param name="t">The horizon, ≥ 0.</param>
    /// <param name="x">Frequencies.</param>
    /// <param name="tx">Recencies.</param>
    /// <param name="age">Ages.</param>
    /// <param name="destination">Receives one expectation per customer; as long as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative or not finite.</exception>
    public void ConditionalExpectedPurchases(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> tx, ReadOnlySpan<double> age, Span<double> destination)
    {
        RequireHorizon(t);
        RequireSameLength(x.Length, tx.Length, age.Length, destination.Length);
        ConditionalBatch(Parameters, t, x, tx, age, destination, Interlocked.Increment(ref _memoStamp));
    }

    // E[Y(t) | x, t_x, T] = E[Y(t) | alive, x, T] · P(alive | x, t_x, T), and the first factor (the ₂F₁ part) depends on
    // (x, T) only. Summaries built from purchase days repeat (x, T) pairs a lot, so a per-thread direct-mapped memo of
    // that factor saves most hypergeometric evaluations. A stamp identifies one call (one t and one parameter set):
    // entries from other calls never match.
    private static void ConditionalBatch(
        in BgNbdParameters p, double t, ReadOnlySpan<double> x, ReadOnlySpan<double> tx, ReadOnlySpan<double> age, Span<double> destination, long stamp)
    {
        var cache = _memo ??= new Memo();
        var stamps = cache.Stamps;
        var keysX = cache.X;
        var keysT = cache.T;
        var values = cache.Values;
        for (var i = 0; i < x.Length; i++)
        {
            double xi = x[i], ti = age[i];
            var slot = Memo.Slot(xi, ti);
            double givenAlive;
            if (stamps[slot] == stamp && keysX[slot] == xi && keysT[slot] == ti)
            {
                givenAlive = values[slot];
            }
            else
            {
                givenAlive = Conditional(p, t, xi, 0, ti, givenAlive: true);
                stamps[slot] = stamp;
                keysX[slot] = xi;
                keysT[slot] = ti;
                values[slot] = givenAlive;
            }

            destination[i] = givenAlive * Alive(p, xi, tx[i], ti);
        }
    }

    /// <summary>Computes the conditional expected purchases in the next <paramref name="t"/> for every customer of a summary, in parallel.</summary>
    /// <param name="t">The horizon, ≥ 0.</param>
    /// <param name="data">The summary, in this model's time unit.</param>
    /// <returns>One expectation per customer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative or not finite.</exception>
    public double[] ConditionalExpectedPurchases(double t, BtydData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireHorizon(t);
        var result = new double[data.Count];
        ConditionalExpectedPurchases(t, data, result);
        return result;
    }

    /// <summary>Computes the conditional expected purchases in the next <paramref name="t"/> for every customer of a summary into a caller's buffer, in parallel, without allocating per customer.</summary>
    /// <param name="t">The horizon, ≥ 0.</param>
    /// <param name="data">The summary, in this model's time unit.</param>
    /// <param name="destination">Receives one expectation per customer; exactly <see cref="BtydData.Count"/> long.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative or not finite.</exception>
    public void ConditionalExpectedPurchases(double t, BtydData data, Memory<double> destination)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireHorizon(t);
        RequireSameLength(data.Count, data.Count, data.Count, destination.Length);
        var p = Parameters;
        var stamp = Interlocked.Increment(ref _memoStamp);
        ForChunks(data.Count, (from, length) => ConditionalBatch(
            p, t, data.Frequency.Slice(from, length), data.Recency.Slice(from, length), data.Age.Slice(from, length), destination.Span.Slice(from, length), stamp));
    }

    /// <summary>
    /// Compares the predicted with the actual purchases of the holdout period: each customer's conditional expectation
    /// over the holdout length, summed, against the holdout purchases in the summary.
    /// </summary>
    /// <param name="data">A summary with holdout columns, in this model's time unit.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no holdout columns.</exception>
    public HoldoutComparison CompareHoldout(BtydData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.HoldoutLength is not { } length)
        {
            throw new ArgumentException("The summary has no holdout period; build it with a holdout end.", nameof(data));
        }

        var predicted = ConditionalExpectedPurchases(length, data);
        var actual = data.HoldoutPurchases;
        double predictedTotal = 0, actualTotal = 0, absoluteError = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            predictedTotal += predicted[i];
            actualTotal += actual[i];
            absoluteError += Math.Abs(predicted[i] - actual[i]);
        }

        var mae = data.Count == 0 ? 0 : absoluteError / data.Count;
        var relative = actualTotal == 0 ? double.PositiveInfinity : (predictedTotal - actualTotal) / actualTotal;
        return new HoldoutComparison(
            length,
            data.Count,
            predictedTotal,
            actualTotal,
            relative,
            mae,
            string.Create(
                CultureInfo.InvariantCulture,
                $"Holdout of {length:G4} {data.TimeUnit.ToString().ToLowerInvariant()}: predicted {predictedTotal:F1} purchases for {data.Count} customers, actual {actualTotal:F0} ({relative:P1}); mean absolute error per customer {mae:F3}."));
    }

    [ThreadStatic]
    private static Memo? _memo;

    private static long _memoStamp;

    private sealed class Memo
    {
        private const int Bits = 14;

        public long[] Stamps { get; } = new long[1 << Bits];

        public double[] X { get; } = new double[1 << Bits];

        public double[] T { get; } = new double[1 << Bits];

        public double[] Values { get; } = new double[1 << Bits];

        public static int Slot(double x, double t)
        {
            var h = unchecked(((ulong)BitConverter.DoubleToInt64Bits(t) * 0x9E3779B97F4A7C15UL) ^ ((ulong)BitConverter.DoubleToInt64Bits(x) * 0xC2B2AE3D27D4EB4FUL));
            return (int)(h >> (64 - Bits));
        }
    }

    internal static double Alive(in BgNbdParameters p, double x, double tx, double age)
    {
        if (x == 0)
        {
            return 1;
        }

        return 1 / AliveDivisor(p, LogDropoutOdds(p, x), x, tx, age);
    }

    /// <summary>ln(a / (b + x − 1)): the part of P(alive)'s odds that depends on x only (x &gt; 0).</summary>
    internal static double LogDropoutOdds(in BgNbdParameters p, double x) => Math.Log(p.A / (p.B + x - 1));

    /// <summary>
    /// 1 + a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x) = 1 / P(alive) for x &gt; 0, from <see cref="LogDropoutOdds"/>: the
    /// divisor that turns <see cref="GivenAliveUnclamped"/> into the conditional expectation.
    /// </summary>
    internal static double AliveDivisor(in BgNbdParameters p, double logDropoutOdds, double x, double tx, double age) =>
        1 + Math.Exp(logDropoutOdds + ((p.R + x) * Math.Log((p.Alpha + age) / (p.Alpha + tx))));

    /// <summary>
    /// True when <see cref="Conditional"/> evaluates x directly, without averaging around a removable singularity. Then
    /// Conditional(t, x, t_x, T, false) = max(<see cref="GivenAliveUnclamped"/>(t, x, T) / <see cref="AliveDivisor"/>, 0)
    /// for x &gt; 0 and t &gt; 0, bit for bit (the same operations), and the first factor depends on (x, T) only.
    /// </summary>
    internal static bool IsRegular(in BgNbdParameters p, double x)
    {
        var a = p.A;
        var c = a + p.B + x - 1;
        return !(Math.Abs(a - 1) < 1e-6 || (c <= 1e-6 && Math.Abs(c - Math.Round(c)) < 1e-6));
    }

    /// <summary>E[Y(t) | alive, x, T] before the clamp at 0, for a regular x (see <see cref="IsRegular"/>) and t &gt; 0.</summary>
    internal static double GivenAliveUnclamped(in BgNbdParameters p, double t, double x, double age)
    {
        var a = p.A;
        var c = a + p.B + x - 1;
        var rx = p.R + x;
        var at = p.Alpha + age;
        var z = t / (at + t);
        var f = SpecialFunctions.Hyp2F1(rx, p.B + x, c, z);

        // (α+T)/(α+T+t) = 1 − z; the bracket and (a − 1) share their sign, so the ratio is ≥ 0
        var bracket = 1 - (Math.Exp(rx * Math.Log(1 - z)) * f);
        return c / (a - 1) * bracket;
    }

    internal static double Conditional(in BgNbdParameters p, double t, double x, double tx, double age, bool givenAlive)
    {
        if (t == 0)
        {
            return 0;
        }

        if (!IsRegular(p, x))
        {
            // removable singularity at a = 1 (and ₂F₁'s poles at c = 0, −1, …): average two nearby parameter values
            var a = p.A;
            var lo = new BgNbdParameters(p.R, p.Alpha, a * (1 - 2e-6), p.B);
            var hi = new BgNbdParameters(p.R, p.Alpha, a * (1 + 2e-6), p.B);
            return 0.5 * (Conditional(lo, t, x, tx, age, givenAlive) + Conditional(hi, t, x, tx, age, givenAlive));
        }

        var expected = GivenAliveUnclamped(p, t, x, age);
        if (!givenAlive && x > 0)
        {
            expected /= AliveDivisor(p, LogDropoutOdds(p, x), x, tx, age);
        }

        return Math.Max(expected, 0);
    }

    private static void RequireHorizon(double t)
    {
        if (!double.IsFinite(t) || t < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "The horizon must be finite and ≥ 0.");
        }
    }

    private static void RequireHistory(double x, double tx, double age)
    {
        if (!double.IsFinite(x) || x < 0 || x != Math.Floor(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The frequency must be a whole number ≥ 0.");
        }

        if (!double.IsFinite(age) || !double.IsFinite(tx) || tx < 0 || tx > age)
        {
            throw new ArgumentOutOfRangeException(nameof(tx), tx, "Recency and age must be finite with 0 ≤ t_x ≤ T.");
        }
    }

    private static void RequireSameLength(int x, int tx, int age, int destination)
    {
        if (tx != x || age != x || destination != x)
        {
            throw new ArgumentException($"The columns must have the same length (x {x}, t_x {tx}, T {age}, destination {destination}).");
        }
    }

    internal static void ForChunks(int count, Action<int, int> body)
    {
        if (count <= BatchChunk)
        {
            body(0, count);
            return;
        }

        var chunks = (count + BatchChunk - 1) / BatchChunk;
        Parallel.For(0, chunks, k =>
        {
            var from = k * BatchChunk;
            body(from, Math.Min(BatchChunk, count - from));
        });
    }
}

/// <summary>Predicted versus actual purchases in a holdout period.</summary>
/// <param name="HoldoutLength">The length of the holdout, in the summary's time unit.</param>
/// <param name="Customers">The customers compared.</param>
/// <param name="PredictedTotal">The sum of the conditional expected holdout purchases.</param>
/// <param name="ActualTotal">The sum of the actual holdout purchases.</param>
/// <param name="RelativeError">(predicted − actual) / actual (+∞ when nobody bought in the holdout).</param>
/// <param name="MeanAbsoluteError">The mean over customers of |predicted − actual|.</param>
/// <param name="Explanation">A sentence with these figures.</param>
public sealed record HoldoutComparison(double HoldoutLength, int Customers, double PredictedTotal, double ActualTotal, double RelativeError, double MeanAbsoluteError, string Explanation);
