namespace Lantern.Server.Organisation;

public enum ClinicSession
{
    Morning,
    Afternoon,
    Evening,
}
