using Cimeika.Web.Infrastructure.Observability;

namespace Cimeika.Web.Infrastructure.Identity;

/// <summary><c>/metrics</c> for an operator (or owner) from anywhere, with their API token or session.</summary>
public sealed class OperatorMetricsAccess : IMetricsAccess
{
    public ValueTask<bool> IsAllowedAsync(HttpContext context) =>
        ValueTask.FromResult(context.User.IsInRole(Roles.Operator) || context.User.IsInRole(Roles.Owner));
}
