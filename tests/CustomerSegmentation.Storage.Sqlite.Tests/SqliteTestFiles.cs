namespace CustomerSegmentation.Storage.Sqlite.Tests;

/// <summary>Fresh database files in a temporary folder, one per test store.</summary>
internal static class SqliteTestFiles
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("custseg-sqlite-").FullName;

    public static string NewPath() => Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db");

    public static SqliteStorage Fresh(SqliteStoreOptions? options = null) => SqliteStorage.Create(NewPath(), options);
}
