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
public sealed class PerModel<TCompiled> where TCompiled : class
{
    private readonly ConditionalWeakTable<IModel, TCompiled> compiled = new();
    private readonly Func<LanternDb, TCompiled> compile;

    public PerModel(Func<TCompiled> compile) => this.compile = _ => compile();

    /// <summary>For a query compiled differently on SQLite: <paramref name="compile"/> is told whether the engine is.</summary>
    public PerModel(Func<bool, TCompiled> compile) => this.compile = db => compile(db.Database.IsSqlite());

    public TCompiled For(LanternDb db) => compiled.GetValue(db.Model, _ => compile(db));
}

/// <summary>
/// A query with several collection includes written as one statement (<c>AsSingleQuery</c>), made one statement per
/// collection (<c>AsSplitQuery</c>) on SQLite: in-process, those statements cost less than the one statement's rows,
/// multiplied across the collections (HL7 A02/A03, measured); on PostgreSQL each statement is a round trip. Split
/// statements read one state of the database only inside a transaction: for queries that run in one.
/// </summary>
public static class SplitOnSqlite
{
    private static readonly System.Reflection.MethodInfo Single = typeof(RelationalQueryableExtensions).GetMethod(nameof(RelationalQueryableExtensions.AsSingleQuery))!;
    private static readonly System.Reflection.MethodInfo Split = typeof(RelationalQueryableExtensions).GetMethod(nameof(RelationalQueryableExtensions.AsSplitQuery))!;

    public static Expression<Func<LanternDb, TParam, CancellationToken, TResult>> Query<TParam, TResult>(bool sqlite,
        Expression<Func<LanternDb, TParam, CancellationToken, TResult>> query) =>
        sqlite ? (Expression<Func<LanternDb, TParam, CancellationToken, TResult>>)new SingleToSplit().Visit(query) : query;

    private sealed class SingleToSplit : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.IsGenericMethod && node.Method.GetGenericMethodDefinition() == Single
                ? Expression.Call(Split.MakeGenericMethod(node.Method.GetGenericArguments()), Visit(node.Arguments[0]))
                : base.VisitMethodCall(node);
    }
}

/// <summary>A compiled single-row look-up by one value (see <see cref="PerModel{TCompiled}"/>).</summary>
public sealed class CompiledQuery<TParam, TResult>(Expression<Func<LanternDb, TParam, CancellationToken, TResult>> query)
{
    private readonly PerModel<Func<LanternDb, TParam, CancellationToken, Task<TResult>>> compiled = new(() => EF.CompileAsyncQuery(query));

    public Task<TResult> RunAsync(LanternDb db, TParam value, CancellationToken cancel) => compiled.For(db)(db, value, cancel);
}
