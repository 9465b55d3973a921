from referral_cli.cli import main

main()
