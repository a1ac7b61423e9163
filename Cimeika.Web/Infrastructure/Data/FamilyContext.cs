namespace Cimeika.Web.Infrastructure.Data;

/// <summary>The family (and member) whose records the current request may see and change.</summary>
public interface IFamilyContext
{
    ValueTask<long> FamilyIdAsync(CancellationToken cancellationToken);

    long? UserId { get; }
}
