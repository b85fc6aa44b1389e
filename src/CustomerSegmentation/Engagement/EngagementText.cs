using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Engagement;

internal static class EngagementText
{
    public static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    public static string Days(int n) => n == 1 ? "1 day" : Inv($"{n} days");

    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new EngagementConfigurationException(message);
        }
    }
}
