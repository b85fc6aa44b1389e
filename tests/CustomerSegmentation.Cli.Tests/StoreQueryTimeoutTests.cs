using Npgsql;

namespace CustomerSegmentation.Cli.Tests;

/// <summary>
/// The pushed-down totals statement groups the whole activity table before its first row: minutes at 10 M customers,
/// longer than the provider's default command timeout (30 s), which once stopped <c>rfm --store postgres</c> at 10 M.
/// Here the statement waits for a lock longer than the connection string's 1 s command timeout, and must still finish.
/// </summary>
public sealed class StoreQueryTimeoutTests
{
    [Fact]
    public async Task Rfm_FromStore_StatementOutlivingTheCommandTimeout_StillFinishes()
    {
        using var cli = new CliRunner();
        cli.WriteInput(StoreCommandTests.Sample(3));
        var connection = PostgresServer.FreshDatabase();
        var import = cli.Run("import", "--transactions", cli.Input, "--store", "postgres", "--connection", connection);
        Assert.True(import.Exit == 0, import.Err);
        var csvOut = cli.Output + ".csv";
        Assert.Equal(0, cli.Run("rfm", "--transactions", cli.Input, "--as-of", "2025-06-30", "--out", csvOut).Exit);

        await using var holder = new NpgsqlConnection(connection);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockCmd = new NpgsqlCommand("LOCK TABLE custseg.activity IN ACCESS EXCLUSIVE MODE", holder, tx))
        {
            await lockCmd.ExecuteNonQueryAsync();
        }

        var shortTimeout = new NpgsqlConnectionStringBuilder(connection) { CommandTimeout = 1 }.ConnectionString;
        var rfm = Task.Run(() => cli.Run("rfm", "--store", "postgres", "--connection", shortTimeout, "--as-of", "2025-06-30", "--out", cli.Output));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(rfm.IsCompleted, "the statement should wait for the lock");
        await tx.RollbackAsync();

        var (exit, _, err) = await rfm;
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllBytes(csvOut), File.ReadAllBytes(cli.Output));
    }
}
