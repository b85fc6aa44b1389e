using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerSegmentation.Customers;
using NodaTime;
using NodaTime.Text;

namespace CustomerSegmentation.Storage.Internal;

/// <summary>
/// How values are laid out in the SQL stores (shared by the PostgreSQL and SQLite packages): instants as 64-bit
/// nanoseconds since the Unix epoch (exact, and the same integer arithmetic in both databases), lists and custom
/// attributes as JSON text with a type tag per attribute.
/// </summary>
internal static class StorageCodec
{
    /// <summary>Nanoseconds per day, for day numbers computed in SQL.</summary>
    public const long NanosPerDay = 86_400_000_000_000L;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The instant as nanoseconds since the Unix epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The instant is outside the years 1678-2262 that 64-bit nanoseconds hold.</exception>
    public static long ToNanos(Instant instant, string what)
    {
        var d = instant - NodaConstants.UnixEpoch;
        if (d < Duration.FromNanoseconds(long.MinValue + 1) || d >= Duration.FromNanoseconds(long.MaxValue))
        {
            throw new ArgumentOutOfRangeException(what, instant, $"{what} {instant} is outside the range the SQL stores hold (64-bit nanoseconds since 1970: about the years 1678 to 2262).");
        }

        return d.ToInt64Nanoseconds();
    }

    /// <summary>The instant as nanoseconds for a range bound: instants beyond the stored range clamp to its ends.</summary>
    public static long ToNanosClamped(Instant instant)
    {
        var d = instant - NodaConstants.UnixEpoch;
        if (d <= Duration.FromNanoseconds(long.MinValue))
        {
            return long.MinValue;
        }

        return d >= Duration.FromNanoseconds(long.MaxValue) ? long.MaxValue : d.ToInt64Nanoseconds();
    }

    /// <summary>The instant of a stored nanosecond count.</summary>
    public static Instant FromNanos(long nanos) => NodaConstants.UnixEpoch + Duration.FromNanoseconds(nanos);

    /// <summary>A list of strings as a JSON array.</summary>
    public static string ToJson(ImmutableArray<string> items)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartArray();
            if (!items.IsDefault)
            {
                foreach (var s in items)
                {
                    w.WriteStringValue(s);
                }
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A JSON array of strings.</summary>
    public static ImmutableArray<string> ListFromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var b = ImmutableArray.CreateBuilder<string>(doc.RootElement.GetArrayLength());
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            b.Add(e.GetString()!);
        }

        return b.MoveToImmutable();
    }

    /// <summary>Custom attributes as a JSON object <c>{"key":{"t":"decimal|string|bool|date|instant","v":"..."}}</c>.</summary>
    /// <exception cref="ArgumentException">An attribute has a type the stores cannot keep (the message names the key).</exception>
    public static string AttributesToJson(ImmutableDictionary<string, object>? attributes, CustomerId id)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (attributes is not null)
            {
                foreach (var (key, value) in attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    var (tag, text) = value switch
                    {
                        decimal d => ("decimal", d.ToString(CultureInfo.InvariantCulture)),
                        string s => ("string", s),
                        bool b => ("bool", b ? "true" : "false"),
                        LocalDate ld => ("date", LocalDatePattern.Iso.Format(ld)),
                        Instant i => ("instant", InstantPattern.ExtendedIso.Format(i)),
                        _ => throw new ArgumentException(
                            $"Customer {id}: custom attribute '{key}' is a {value?.GetType().Name ?? "null"}; the stores keep string, decimal, bool, LocalDate and Instant.",
                            "customer"),
                    };
                    w.WriteStartObject(key);
                    w.WriteString("t", tag);
                    w.WriteString("v", text);
                    w.WriteEndObject();
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Custom attributes from their JSON object.</summary>
    public static ImmutableDictionary<string, object> AttributesFromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var b = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var tag = p.Value.GetProperty("t").GetString();
            var text = p.Value.GetProperty("v").GetString()!;
            b[p.Name] = tag switch
            {
                "decimal" => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture),
                "string" => text,
                "bool" => text == "true",
                "date" => LocalDatePattern.Iso.Parse(text).Value,
                "instant" => InstantPattern.ExtendedIso.Parse(text).Value,
                _ => throw new InvalidDataException($"Stored custom attribute '{p.Name}' has the unknown type tag '{tag}'."),
            };
        }

        return b.ToImmutable();
    }

    /// <summary>A SQL identifier checked against <c>[A-Za-z_][A-Za-z0-9_]{0,62}</c> and double-quoted, so that names from configuration can never inject SQL.</summary>
    /// <exception cref="ArgumentException">The name is not such an identifier.</exception>
    public static string QuoteIdentifier(string name, string option)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || !(char.IsAsciiLetter(name[0]) || name[0] == '_')
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"{option} '{name}' is not a valid name: use 1..63 ASCII letters, digits or '_', not starting with a digit.", option);
        }

        return "\"" + name + "\"";
    }
}
