from trede.cli import main

main()
