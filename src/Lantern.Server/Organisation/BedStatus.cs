namespace Lantern.Server.Organisation;

public enum BedStatus
{
    Available,
    Occupied,
    Cleaning,
    Closed,
}
