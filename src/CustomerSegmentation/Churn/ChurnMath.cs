using System.Globalization;

namespace CustomerSegmentation.Churn;

/// <summary>Shared arithmetic and formatting of the built-in rules (one place, so the columnar scorer matches them exactly).</summary>
internal static class ChurnMath
{
    /// <summary>0 at or below <paramref name="start"/>, 1 at or above <paramref name="full"/>, linear between.</summary>
    public static double Ramp(double x, double start, double full)
    {
        if (x <= start)
        {
            return 0;
        }

        return x >= full ? 1 : (x - start) / (full - start);
    }

    public static string F(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static void RequireName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ChurnConfigurationException("A churn rule needs a non-empty name.");
        }
    }

    public static void Require(bool condition, string rule, string message)
    {
        if (!condition)
        {
            throw new ChurnConfigurationException($"Churn rule '{rule}': {message}");
        }
    }

    public static string Plural(int n, string one, string many) => n == 1 ? $"1 {one}" : string.Create(CultureInfo.InvariantCulture, $"{n} {many}");

    public static string IgnoredNote(int ignored) => ignored == 0 ? string.Empty : Inv($"; {Plural(ignored, "interaction", "interactions")} after the as-of instant ignored");
}
