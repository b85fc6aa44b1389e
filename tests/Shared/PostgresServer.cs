using System.Diagnostics;
using Npgsql;

namespace CustomerSegmentation.Testing.PostgreSql;

/// <summary>
/// The PostgreSQL servers every PostgreSQL test runs against (one source file, linked into the PostgreSQL package's tests
/// and the CLI's tests). <c>.ci/run</c> starts throwaway servers and passes their connection strings in
/// <c>CUSTSEG_PG</c> (one) and <c>CUSTSEG_PG_SHARDS</c> (two or more, separated by '|'). When <c>CUSTSEG_PG</c> is not
/// set (plain <c>dotnet test</c> on a fresh machine) the tests start two throwaway servers with
/// <c>.ci/pg-throwaway.sh</c> and stop them when the test process exits. Nothing is skipped: when no server can be
/// reached or started, every test that needs one fails with the reason; the sharded tests fail when
/// <c>CUSTSEG_PG</c> is set without two <c>CUSTSEG_PG_SHARDS</c>.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<(string Main, string[] Shards, string? Failure)> Servers = new(Start);
    private static readonly Lazy<NpgsqlDataSource> MainSource = new(() => NpgsqlDataSource.Create(ConnectionString));

    /// <summary>Gets the connection string of the main test server.</summary>
    public static string ConnectionString => Get().Main;

    /// <summary>Gets the connection strings of the shard servers (at least two).</summary>
    public static IReadOnlyList<string> ShardConnectionStrings
    {
        get
        {
            var shards = Get().Shards;
            return shards.Length >= 2
                ? shards
                : throw new InvalidOperationException("CUSTSEG_PG is set but CUSTSEG_PG_SHARDS does not list two servers ('|'-separated connection strings): the sharded tests need them. Run `bash .ci/run`, or unset CUSTSEG_PG so that the tests start their own servers.");
        }
    }

    /// <summary>Gets one shared data source on the main server (one pool for all tests).</summary>
    public static NpgsqlDataSource DataSource => MainSource.Value;

    /// <summary>A new schema name.</summary>
    public static string FreshSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Creates an empty database on the main server and returns its connection string (no pooling).</summary>
    public static string FreshDatabase()
    {
        var name = "db_" + Guid.NewGuid().ToString("N")[..20];
        using (var cmd = DataSource.CreateCommand($"CREATE DATABASE {name}"))
        {
            cmd.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    private static (string Main, string[] Shards) Get()
    {
        var s = Servers.Value;
        if (s.Failure is not null)
        {
            throw new InvalidOperationException(s.Failure);
        }

        return (s.Main, s.Shards);
    }

    private static (string, string[], string?) Start()
    {
        var main = Environment.GetEnvironmentVariable("CUSTSEG_PG");
        var shards = Environment.GetEnvironmentVariable("CUSTSEG_PG_SHARDS");
        if (string.IsNullOrWhiteSpace(main))
        {
            var started = StartThrowaway();
            if (started.Failure is not null)
            {
                return (string.Empty, [], started.Failure);
            }

            (main, shards) = (started.Main, started.Shards);
        }

        var shardList = (shards ?? string.Empty).Split('|', StringSplitOptions.RemoveEmptyEntries);
        foreach (var cs in shardList.Prepend(main))
        {
            try
            {
                using var conn = new NpgsqlConnection(cs);
                conn.Open();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
            {
                return (main, [], $"The PostgreSQL test server is not reachable ({e.GetType().Name}: {e.Message}). Check CUSTSEG_PG / CUSTSEG_PG_SHARDS or run `bash .ci/run`.");
            }
        }

        return (main, shardList, null);
    }

    private static (string Main, string Shards, string? Failure) StartThrowaway()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, ".ci", "pg-throwaway.sh")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            return (string.Empty, string.Empty, "CUSTSEG_PG is not set and .ci/pg-throwaway.sh was not found above the test folder, so no PostgreSQL server could be started.");
        }

        var script = Path.Combine(dir.FullName, ".ci", "pg-throwaway.sh");
        var psi = new ProcessStartInfo("bash", [script, "up", "2"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(a => a.Length == 2).ToDictionary(a => a[0], a => a[1]);
        if (p.ExitCode != 0 || !values.TryGetValue("CUSTSEG_PG", out var main))
        {
            return (string.Empty, string.Empty, $"CUSTSEG_PG is not set and starting a throwaway PostgreSQL with .ci/pg-throwaway.sh failed (exit {p.ExitCode}): {stderr.Trim()}");
        }

        var dirs = values.GetValueOrDefault("PG_THROWAWAY_DIRS", string.Empty);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var down = Process.Start(new ProcessStartInfo("bash", [script, "down", .. dirs.Split(' ', StringSplitOptions.RemoveEmptyEntries)]));
            down?.WaitForExit(10_000);
        };
        return (main, values.GetValueOrDefault("CUSTSEG_PG_SHARDS", main), null);
    }
}
