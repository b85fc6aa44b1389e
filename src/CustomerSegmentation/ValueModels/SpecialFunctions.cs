namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The special functions the value models need, implemented here so the core keeps its two dependencies:
/// log-gamma (Lanczos, g = 7, about 15 significant digits), the signed log-gamma of negative non-integers
/// (reflection) and the Gauss hypergeometric function ₂F₁ on [0, 1).
/// </summary>
internal static class SpecialFunctions
{
    private const double LanczosG = 7.0;

    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // reflection keeps the Lanczos sum in its accurate range: Γ(x) Γ(1 − x) = π / sin(πx)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        if (x > 15)
        {
            // Stirling with four correction terms: error below 1e-16 relative for x > 15 and twice as fast
            var inv = 1 / x;
            var inv2 = inv * inv;
            var series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))));
            return ((x - 0.5) * Math.Log(x)) - x + HalfLogTwoPi + series;
        }

        x -= 1;
        var sum = LanczosCoefficients[0];
        for (var i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (x + i);
        }

        var t = x + LanczosG + 0.5;
        return HalfLogTwoPi + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>ln |Γ(x)| and the sign of Γ(x) for any real x that is not a non-positive integer.</summary>
    public static double LogAbsGamma(double x, out int sign)
    {
        if (x > 0)
        {
            sign = 1;
            return LogGamma(x);
        }

        // Γ(x) = π / (sin(πx) Γ(1 − x)), with Γ(1 − x) > 0
        var s = Math.Sin(Math.PI * x);
        sign = s < 0 ? -1 : 1;
        return Math.Log(Math.PI / Math.Abs(s)) - LogGamma(1 - x);
    }

    /// <summary>The digamma function ψ(x) = d ln Γ(x) / dx for x &gt; 0 (recurrence to x ≥ 6, then the asymptotic series; about 1e-15).</summary>
    public static double Digamma(double x)
    {
        var result = 0.0;
        while (x < 6)
        {
            result -= 1 / x;
            x += 1;
        }

        var inv = 1 / x;
        var inv2 = inv * inv;
        return result + Math.Log(x) - (0.5 * inv)
            - (inv2 * ((1.0 / 12) - (inv2 * ((1.0 / 120) - (inv2 * ((1.0 / 252) - (inv2 * ((1.0 / 240) - (inv2 / 132)))))))));
    }

    /// <summary>ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>
    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1, a, b &gt; 0 and c not a non-positive integer.
    /// </summary>
    /// <remarks>
    /// Up to z = 0.6 the power series is summed directly (about 60 terms for 1e-16). Beyond it the series converges
    /// slowly, so the 1 − z connection formula (DLMF 15.8.4) is used, which needs c − a − b away from an integer; when
    /// it is within 1e-3 of one the direct series is summed instead (slow but exact: its terms are eventually positive).
    /// </remarks>
    public static double Hyp2F1(double a, double b, double c, double z)
    {
        if (z <= 0.6)
        {
            return Hyp2F1Series(a, b, c, z);
        }

        var m = c - a - b;
        if (Math.Abs(m - Math.Round(m)) < 1e-3 || c <= 0 || c - a <= 0 && c - a == Math.Round(c - a) || c - b <= 0 && c - b == Math.Round(c - b))
        {
            return Hyp2F1Series(a, b, c, z);
        }

        var w = 1 - z;
        var lgc = LogAbsGamma(c, out var sc);

        // first term: Γ(c)Γ(c−a−b) / (Γ(c−a)Γ(c−b)) · ₂F₁(a, b; a+b−c+1; 1−z)
        var l1 = lgc + LogAbsGamma(m, out var s1) - LogAbsGamma(c - a, out var s2) - LogAbsGamma(c - b, out var s3);
        var t1 = sc * s1 * s2 * s3 * Math.Exp(l1) * Hyp2F1Series(a, b, 1 - m, w);

        // second term: Γ(c)Γ(a+b−c) / (Γ(a)Γ(b)) · (1−z)^(c−a−b) · ₂F₁(c−a, c−b; c−a−b+1; 1−z)
        var l2 = lgc + LogAbsGamma(-m, out var s4) - LogGamma(a) - LogGamma(b) + (m * Math.Log(w));
        var t2 = sc * s4 * Math.Exp(l2) * Hyp2F1Series(c - a, c - b, 1 + m, w);
        return t1 + t2;
    }

    /// <summary>The ₂F₁ power series, summed until a term is below 1e-16 of the sum (at most 1 000 000 terms).</summary>
    public static double Hyp2F1Series(double a, double b, double c, double z)
    {
        var sum = 1.0;
        var term = 1.0;
        for (var n = 0; n < 1_000_000; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum) && n > Math.Abs(c))
            {
                return sum;
            }

            if (term == 0)
            {
                return sum;
            }
        }

        return sum;
    }
}
