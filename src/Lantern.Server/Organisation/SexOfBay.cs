namespace Lantern.Server.Organisation;

/// <summary>Who a bay is designated for, so that same-sex accommodation rules can be kept.</summary>
public enum SexOfBay
{
    Mixed,
    Male,
    Female,
}
