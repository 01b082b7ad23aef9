using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// A query EF Core translates once rather than on each call (it skips the per-call look-up of its translation
/// cache), for the hottest single-row look-ups. EF Core binds a compiled query to one model, and Lantern has one per
/// database engine (tests run both in one process), so it is compiled once per model.
/// </summary>
public sealed class CompiledQuery<TParam, TResult>(Expression<Func<LanternDb, TParam, CancellationToken, TResult>> query)
{
    private readonly ConditionalWeakTable<IModel, Func<LanternDb, TParam, CancellationToken, Task<TResult>>> perModel = new();

    public Task<TResult> RunAsync(LanternDb db, TParam value, CancellationToken cancel) =>
        perModel.GetValue(db.Model, _ => EF.CompileAsyncQuery(query))(db, value, cancel);
}
