using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Lantern.Server.Platform.Storage;

/// <summary>
/// A query EF Core translates once rather than on each call (it skips the per-call look-up of its translation
/// cache, which costs more than running a simple indexed query), for the hottest look-ups. EF Core binds a compiled
/// query to one model, and Lantern has one per database engine (tests run both in one process), so it is compiled
/// once per model: <paramref name="compile"/> is an <c>EF.CompileAsyncQuery</c> call.
/// </summary>
public sealed class PerModel<TCompiled>(Func<TCompiled> compile) where TCompiled : class
{
    private readonly ConditionalWeakTable<IModel, TCompiled> compiled = new();

    public TCompiled For(LanternDb db) => compiled.GetValue(db.Model, _ => compile());
}

/// <summary>A compiled single-row look-up by one value (see <see cref="PerModel{TCompiled}"/>).</summary>
public sealed class CompiledQuery<TParam, TResult>(Expression<Func<LanternDb, TParam, CancellationToken, TResult>> query)
{
    private readonly PerModel<Func<LanternDb, TParam, CancellationToken, Task<TResult>>> compiled = new(() => EF.CompileAsyncQuery(query));

    public Task<TResult> RunAsync(LanternDb db, TParam value, CancellationToken cancel) => compiled.For(db)(db, value, cancel);
}
