namespace CustomerSegmentation.Storage.PostgreSql.Tests;

/// <summary>Storages on the shared test server (<see cref="PostgresServer"/>), each in a fresh schema.</summary>
internal static class PostgresStorages
{
    /// <summary>Creates a storage in a fresh, empty schema on the main server.</summary>
    public static PostgreSqlStorage Fresh(PostgreSqlStoreOptions? options = null) =>
        PostgreSqlStorage.Create(PostgresServer.DataSource, (options ?? new PostgreSqlStoreOptions()) with { Schema = PostgresServer.FreshSchemaName() });
}
