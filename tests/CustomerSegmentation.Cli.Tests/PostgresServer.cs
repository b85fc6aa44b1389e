using System.Diagnostics;
using Npgsql;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The PostgreSQL server the CLI's store tests run against: <c>CUSTSEG_PG</c> when set (<c>.ci/run</c> sets it),
/// otherwise a throwaway server started with <c>.ci/pg-throwaway.sh</c> and stopped when the test process exits (as in
/// the PostgreSQL package's tests). Nothing is skipped: when no server can be reached or started, the tests that need
/// one fail with the reason.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<(string ConnectionString, string? Failure)> Server = new(Start);

    /// <summary>Creates an empty database on the server and returns its connection string.</summary>
    public static string FreshDatabase()
    {
        var (cs, failure) = Server.Value;
        if (failure is not null)
        {
            throw new InvalidOperationException(failure);
        }

        var name = "cli_" + Guid.NewGuid().ToString("N")[..20];
        using (var conn = new NpgsqlConnection(cs))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            cmd.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(cs) { Database = name, Pooling = false }.ConnectionString;
    }

    private static (string, string?) Start()
    {
        var main = Environment.GetEnvironmentVariable("CUSTSEG_PG");
        if (string.IsNullOrWhiteSpace(main))
        {
            var started = StartThrowaway();
            if (started.Failure is not null)
            {
                return (string.Empty, started.Failure);
            }

            main = started.Main;
        }

        try
        {
            using var conn = new NpgsqlConnection(main);
            conn.Open();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            return (main, $"The PostgreSQL test server is not reachable ({e.GetType().Name}: {e.Message}). Check CUSTSEG_PG or run `bash .ci/run`.");
        }

        return (main, null);
    }

    private static (string Main, string? Failure) StartThrowaway()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, ".ci", "pg-throwaway.sh")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            return (string.Empty, "CUSTSEG_PG is not set and .ci/pg-throwaway.sh was not found above the test folder, so no PostgreSQL server could be started.");
        }

        var script = Path.Combine(dir.FullName, ".ci", "pg-throwaway.sh");
        var psi = new ProcessStartInfo("bash", [script, "up", "1"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(a => a.Length == 2).ToDictionary(a => a[0], a => a[1]);
        if (p.ExitCode != 0 || !values.TryGetValue("CUSTSEG_PG", out var main))
        {
            return (string.Empty, $"CUSTSEG_PG is not set and starting a throwaway PostgreSQL with .ci/pg-throwaway.sh failed (exit {p.ExitCode}): {stderr.Trim()}");
        }

        var dirs = values.GetValueOrDefault("PG_THROWAWAY_DIRS", string.Empty);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var down = Process.Start(new ProcessStartInfo("bash", [script, "down", .. dirs.Split(' ', StringSplitOptions.RemoveEmptyEntries)]));
            down?.WaitForExit(10_000);
        };
        return (main, null);
    }
}
