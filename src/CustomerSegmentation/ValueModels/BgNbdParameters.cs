using System.Globalization;

namespace CustomerSegmentation.ValueModels;

/// <summary>
/// The four BG/NBD parameters (Fader, Hardie and Lee 2005): while active, a customer buys as a Poisson process with rate
/// λ ~ Gamma(shape <see cref="R"/>, rate <see cref="Alpha"/>); after each purchase they drop out with probability
/// p ~ Beta(<see cref="A"/>, <see cref="B"/>).
/// </summary>
/// <remarks><see cref="Alpha"/> is in the time unit of the data the model was fitted on; the others have no unit.</remarks>
public readonly record struct BgNbdParameters
{
    /// <summary>Creates the parameters.</summary>
    /// <param name="r">Shape of the purchase-rate gamma; finite, &gt; 0.</param>
    /// <param name="alpha">Rate (inverse scale) of the purchase-rate gamma, in the time unit; finite, &gt; 0.</param>
    /// <param name="a">First shape of the dropout beta; finite, &gt; 0.</param>
    /// <param name="b">Second shape of the dropout beta; finite, &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public BgNbdParameters(double r, double alpha, double a, double b)
    {
        R = Positive(r, nameof(r));
        Alpha = Positive(alpha, nameof(alpha));
        A = Positive(a, nameof(a));
        B = Positive(b, nameof(b));
    }

    /// <summary>Gets the shape r of the purchase-rate gamma.</summary>
    public double R { get; }

    /// <summary>Gets the rate α of the purchase-rate gamma (in the data's time unit): the mean purchase rate is r / α.</summary>
    public double Alpha { get; }

    /// <summary>Gets the shape a of the dropout beta: the mean dropout probability is a / (a + b).</summary>
    public double A { get; }

    /// <summary>Gets the shape b of the dropout beta.</summary>
    public double B { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"r = {R:G6}, α = {Alpha:G6}, a = {A:G6}, b = {B:G6}");

    internal static double Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "A model parameter must be finite and positive.");
        }

        return value;
    }
}
