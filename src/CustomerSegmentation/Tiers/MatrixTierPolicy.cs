using System.Collections.Immutable;
using NodaTime;

namespace CustomerSegmentation.Tiers;

/// <summary>
/// Two criteria mapped through a grid: e.g. purchase power (low / mid / high) × purchase frequency (low / mid / high),
/// each cell naming a tier of the result ladder.
/// </summary>
/// <remarks>
/// Each criterion is itself a policy (usually a <see cref="ThresholdTierPolicy"/> or <see cref="QuantileTierPolicy"/>)
/// whose ladder gives the grid's rows or columns. <c>cells[r][c]</c> is the tier of a customer in row level <c>r</c> and
/// column level <c>c</c>, row and column level 0 being the lowest. Every cell must name a tier of the ladder, so the
/// policy is total.
/// </remarks>
/// <threadsafety>Immutable; safe to share when the criteria are.</threadsafety>
public sealed class MatrixTierPolicy : ITierPolicy
{
    private readonly Tier[,] _grid;

    /// <summary>Creates and validates the policy.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="ladder">The result tiers, lowest first.</param>
    /// <param name="rows">The criterion whose levels are the rows.</param>
    /// <param name="columns">The criterion whose levels are the columns.</param>
    /// <param name="cells">One row of tier names per row level (lowest first), each with one name per column level (lowest first).</param>
    /// <exception cref="InvalidTierPolicyException">A criterion or the grid is missing, the grid does not have one cell for every
    /// row × column level, or a cell names an unknown tier.</exception>
    public MatrixTierPolicy(string name, TierLadder ladder, ITierPolicy rows, ITierPolicy columns, IEnumerable<IEnumerable<string>> cells)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidTierPolicyException(null, "a tier policy needs a name");
        }

        Name = name;
        Ladder = ladder ?? throw new InvalidTierPolicyException(name, "the policy has no tier ladder");
        Rows = rows ?? throw new InvalidTierPolicyException(name, "the matrix has no row criterion");
        Columns = columns ?? throw new InvalidTierPolicyException(name, "the matrix has no column criterion");
        if (cells is null)
        {
            throw new InvalidTierPolicyException(name, "the matrix has no cells");
        }

        var grid = cells.Select(r => (r ?? []).ToArray()).ToArray();
        int nr = rows.Ladder.Count, nc = columns.Ladder.Count;
        if (grid.Length != nr)
        {
            throw new InvalidTierPolicyException(name, $"the matrix has {grid.Length} rows but the row criterion '{rows.Name}' has {nr} levels ({rows.Ladder})");
        }

        _grid = new Tier[nr, nc];
        var builder = ImmutableArray.CreateBuilder<ImmutableArray<string>>(nr);
        for (var r = 0; r < nr; r++)
        {
            if (grid[r].Length != nc)
            {
                throw new InvalidTierPolicyException(name, $"matrix row {r} ('{rows.Ladder[r]}') has {grid[r].Length} cells but the column criterion '{columns.Name}' has {nc} levels ({columns.Ladder})");
            }

            for (var c = 0; c < nc; c++)
            {
                if (!ladder.TryGet(grid[r][c], out var tier))
                {
                    throw new InvalidTierPolicyException(name, $"matrix cell ({rows.Ladder[r]}, {columns.Ladder[c]}) names unknown tier '{grid[r][c]}' (tiers: {ladder})");
                }

                _grid[r, c] = tier;
            }

            builder.Add([.. grid[r]]);
        }

        Cells = builder.MoveToImmutable();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public TierLadder Ladder { get; }

    /// <summary>Gets the row criterion.</summary>
    public ITierPolicy Rows { get; }

    /// <summary>Gets the column criterion.</summary>
    public ITierPolicy Columns { get; }

    /// <summary>Gets the grid of tier names, row level 0 first, each row column level 0 first.</summary>
    public ImmutableArray<ImmutableArray<string>> Cells { get; }

    /// <summary>Gets the tier of a cell.</summary>
    /// <param name="row">A tier of the row criterion's ladder.</param>
    /// <param name="column">A tier of the column criterion's ladder.</param>
    /// <returns>The result tier.</returns>
    /// <exception cref="ArgumentException">A tier is not from the criterion's ladder.</exception>
    public Tier Cell(Tier row, Tier column)
    {
        if (!Rows.Ladder.Contains(row))
        {
            throw new ArgumentException($"'{row}' is not a tier of the row criterion ({Rows.Ladder}).", nameof(row));
        }

        if (!Columns.Ladder.Contains(column))
        {
            throw new ArgumentException($"'{column}' is not a tier of the column criterion ({Columns.Ladder}).", nameof(column));
        }

        return _grid[row.Level, column.Level];
    }

    /// <inheritdoc />
    public ImmutableArray<TierAssignment> Assign(IReadOnlyList<TierSubject> population, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(population);
        var byRow = Rows.Assign(population, asOf);
        var byColumn = Columns.Assign(population, asOf);
        var result = ImmutableArray.CreateBuilder<TierAssignment>(population.Count);
        for (var i = 0; i < population.Count; i++)
        {
            var r = byRow[i].Reason;
            var c = byColumn[i].Reason;
            var tier = _grid[byRow[i].Tier.Level, byColumn[i].Tier.Level];
            var reason = new TierReason(
                Name,
                TierPolicyKind.Matrix,
                tier,
                r.Readings.AddRange(c.Readings),
                [],
                $"cell ({Rows.Name} = {byRow[i].Tier}, {Columns.Name} = {byColumn[i].Tier})")
            {
                Components = [r, c],
            };
            result.Add(new TierAssignment(population[i].CustomerId, tier, asOf, reason));
        }

        return result.MoveToImmutable();
    }
}
