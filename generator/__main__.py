from generator.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports it (the print edition's, issue 12)
    main(prog_name="python -m generator")
